/**
 * One generated call: what kind it is (a call between two people, one with a partner, a phone call out through the
 * PSTN gateway, a phone call in through an auto attendant and a call queue, a call that ends in voicemail, a group
 * call or meeting), who took part, and its sessions. Meeting sizes are heavy-tailed: most meetings are small, a few
 * are town halls with hundreds of people, so that Graph's paging (60 sessions, 130 participants) is exercised.
 */
import { logNormalIn, pickWeighted } from './distributions.js';
import { graphTime, MINUTE, SECOND, type JsonObject } from './graph-values.js';
import { clientSide, serviceSide, type Side } from './call-sides.js';
import { session, type BuiltSession, type MediaLabel } from './sessions.js';
import type { Directory, Person } from './directory.js';
import type { SeededRandom } from './seeded-random.js';

/** A call as built: its final record and when each of its versions was written. */
export interface GeneratedCall {
  record: JsonObject;
  /** lastModifiedDateTime of versions 1…n; the record is version n. */
  versionTimes: readonly string[];
}

type CallKind = 'peerToPeer' | 'federated' | 'pstnOut' | 'pstnIn' | 'voicemail' | 'meeting';

const KINDS: readonly (readonly [CallKind, number])[] = [
  ['peerToPeer', 38],
  ['federated', 5],
  ['pstnOut', 7],
  ['pstnIn', 4],
  ['voicemail', 3],
  ['meeting', 43],
];
const FAILURE_RATE = 0.025;

/** What every call of a factory looks like; see GenerateOptions. */
interface CallShape {
  /** Sessions of every call (1: a two-person call, more: a meeting); undefined draws the kind and size. */
  sessions: number | undefined;
  /** False: segments without media. */
  media: boolean;
}

/** A participant (or organizer) as participants_v2 and organizer_v2 carry it. */
type Attendee = { person: Person } | { phone: string; id: string };

/** Builds calls from one random source and one directory. */
export class CallFactory {
  constructor(
    private readonly rng: SeededRandom,
    private readonly directory: Directory,
    private readonly shape: CallShape = { sessions: undefined, media: true },
  ) {}

  /** A call starting at `startMs`. */
  call(startMs: number): GeneratedCall {
    const { rng } = this;
    const id = rng.guid();
    const fixed = this.shape.sessions;
    const kind = fixed === undefined ? pickWeighted(rng, KINDS) : fixed === 1 ? 'peerToPeer' : 'meeting';
    const built = kind === 'meeting' ? this.meeting(startMs, fixed) : this.twoParty(kind, id, startMs);
    const first = built.sessions.reduce((a, b) => (b.startMs < a.startMs ? b : a));
    const last = built.sessions.reduce((a, b) => (b.endMs > a.endMs ? b : a));
    const versions = pickWeighted(rng, [
      [1, 55],
      [2, 30],
      [3, 15],
    ] as const);
    // The first version is usually there within 15 minutes of the end, at most an hour (https://learn.microsoft.com/graph/callrecords-api-faq); later ones follow.
    const times = [last.endMs + Math.round(logNormalIn(rng, 14 * MINUTE, 0.6, 2 * MINUTE, 60 * MINUTE))];
    for (let v = 1; v < versions; v++) times.push(times[v - 1]! + rng.int(10, 480) * MINUTE);
    const versionTimes = times.map((ms) => graphTime(ms));
    const modalities = new Set<string>();
    for (const s of built.sessions) for (const m of s.value.modalities as string[]) modalities.add(m);
    const record: JsonObject = {
      version: versions,
      type: kind === 'meeting' ? 'groupCall' : 'peerToPeer',
      modalities: [...modalities],
      lastModifiedDateTime: versionTimes[versions - 1],
      startDateTime: first.value.startDateTime,
      endDateTime: last.value.endDateTime,
      id,
      joinWebUrl: built.joinWebUrl,
      organizer_v2: this.participant(built.attendees[0]!),
      participants_v2: built.attendees.map((a) => this.participant(a)),
      sessions: built.sessions.map((s) => s.value),
    };
    return { record, versionTimes };
  }

  private twoParty(kind: Exclude<CallKind, 'meeting'>, id: string, startMs: number): Built {
    const { rng, directory } = this;
    const caller = rng.pick(directory.employees);
    const callerSide = clientSide(rng, caller, this.device(caller));
    const talk = () => Math.round(logNormalIn(rng, 4 * MINUTE, 1, 10 * SECOND, 3 * 60 * MINUTE));
    const one = (path: Side[], endMs: number, labels: readonly MediaLabel[]) => [
      session(rng, { id, path, startMs, endMs, labels, failureRate: FAILURE_RATE, media: this.shape.media }),
    ];
    const phone = () => ({ phone: `+1${rng.pick(['425', '206', '312', '646'])}555${rng.digits(4)}`, id: rng.guid() });
    switch (kind) {
      case 'peerToPeer':
      case 'federated': {
        const callee = this.other(kind === 'federated' ? directory.partners : directory.employees, caller);
        const calleeSide = clientSide(rng, callee, this.device(callee));
        const sessions = one([callerSide, calleeSide], startMs + talk(), this.labels(caller, 0.25, 0.1));
        return { sessions, attendees: [{ person: caller }, { person: callee }], joinWebUrl: null };
      }
      case 'pstnOut': {
        // Through the mediation server to the gateway, or straight to the gateway when media bypass is on.
        const path = rng.chance(0.3)
          ? [callerSide, serviceSide(rng, directory, 'gateway')]
          : [callerSide, serviceSide(rng, directory, 'mediation'), serviceSide(rng, directory, 'gateway')];
        const sessions = one(path, startMs + talk(), ['main-audio']);
        return { sessions, attendees: [{ person: caller }, phone()], joinWebUrl: null };
      }
      case 'pstnIn': {
        // A customer calls the main number: auto attendant, call queue, then an agent answers.
        const path = [
          serviceSide(rng, directory, 'gateway'),
          serviceSide(rng, directory, 'autoAttendant'),
          serviceSide(rng, directory, 'callQueue'),
          callerSide,
        ];
        const sessions = one(path, startMs + 90 * SECOND + talk(), ['main-audio']);
        return { sessions, attendees: [phone(), { person: caller }], joinWebUrl: null };
      }
      case 'voicemail': {
        const callee = this.other(directory.employees, caller);
        const path = [callerSide, serviceSide(rng, directory, 'voicemail')];
        const sessions = one(path, startMs + rng.int(15, 90) * SECOND, ['main-audio']);
        return { sessions, attendees: [{ person: caller }, { person: callee }], joinWebUrl: null };
      }
    }
  }

  /** A meeting of a drawn size, or of exactly `fixedSessions` sessions (employees only, no rejoins, no phones). */
  private meeting(startMs: number, fixedSessions?: number): Built {
    const { rng, directory } = this;
    const fixed = fixedSessions !== undefined;
    const size = fixedSessions ?? this.meetingSize();
    const townHall = size > 130;
    const adHoc = !fixed && size <= 4 && rng.chance(0.4);
    const organizer = rng.pick(directory.employees);
    const people = this.distinct(directory.employees, size - 1, organizer);
    if (!fixed && !townHall && rng.chance(0.12)) people.push(...this.distinct(directory.partners, rng.int(1, 3)));
    if (!fixed && !adHoc && rng.chance(0.25)) people.push(rng.pick(directory.rooms));
    const phones = !fixed && !adHoc && rng.chance(0.15) ? rng.int(1, townHall ? 6 : 2) : 0;
    const planned = townHall ? rng.int(4, 8) * 15 * MINUTE : rng.pick([15, 30, 30, 30, 45, 60, 60, 90]) * MINUTE;
    const endMs = startMs + Math.round(planned * rng.float(0.7, 1.1));
    const sessions: BuiltSession[] = [];
    const conferencing = () => serviceSide(rng, directory, 'conferencing');
    const presenter = rng.chance(townHall ? 1 : 0.5) ? organizer : undefined;
    for (const person of [organizer, ...people]) {
      // Most join in the first minutes and stay to the end; some come late or leave early, a few join twice.
      const join = startMs + Math.round(rng.next() ** 3 * (endMs - startMs) * 0.4);
      const leave = endMs - Math.round(rng.next() ** 4 * (endMs - join) * 0.5);
      const share = person === presenter ? 0.9 : 0.04;
      const labels = this.labels(person, townHall && person !== presenter ? 0.05 : 0.45, share);
      const device = this.device(person);
      if (!fixed && rng.chance(0.08)) {
        const gap = join + Math.round((leave - join) * rng.float(0.2, 0.7));
        sessions.push(this.join(person, device, join, gap, labels, conferencing()));
        sessions.push(this.join(person, device, gap + rng.int(10, 120) * SECOND, leave, labels, conferencing()));
      } else {
        sessions.push(this.join(person, device, join, leave, labels, conferencing()));
      }
    }
    while (fixed && sessions.length < size) {
      // A fixed size beyond the directory: the others join a second time.
      const person = rng.pick(people.length > 0 ? people : [organizer]);
      sessions.push(this.join(person, this.device(person), startMs, endMs, ['main-audio'], conferencing()));
    }
    const attendees: Attendee[] = [organizer, ...people].map((person) => ({ person }));
    for (let i = 0; i < phones; i++) {
      // Dial-in: the phone reaches the meeting through the PSTN gateway and the mediation server.
      const path = [serviceSide(rng, directory, 'gateway'), serviceSide(rng, directory, 'mediation'), conferencing()];
      const join = startMs + rng.int(0, 5) * MINUTE;
      const plan = { path, startMs: join, endMs, labels: ['main-audio'] as const, failureRate: FAILURE_RATE };
      sessions.push(session(rng, { ...plan, media: this.shape.media }));
      attendees.push({ phone: `+44207946${rng.digits(4)}`, id: rng.guid() });
    }
    const joinWebUrl = adHoc
      ? null
      : `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${rng.guid().replace(/-/g, '')}%40thread.v2/0`;
    return { sessions, attendees, joinWebUrl };
  }

  private join(
    person: Person,
    device: Person['computer'],
    startMs: number,
    endMs: number,
    labels: readonly MediaLabel[],
    server: Side,
  ) {
    const path = [clientSide(this.rng, person, device), server];
    return session(this.rng, { path, startMs, endMs, labels, failureRate: FAILURE_RATE, media: this.shape.media });
  }

  /** Participants per group call: mostly a handful, now and then dozens, rarely a town hall of hundreds. */
  private meetingSize(): number {
    const u = this.rng.next();
    if (u < 0.006) return this.rng.int(131, 260);
    if (u < 0.025) return this.rng.int(20, 130);
    return 3 + Math.floor(logNormalIn(this.rng, 2.5, 0.8, 0, 25));
  }

  private labels(person: Person, video: number, share: number): MediaLabel[] {
    const handheld = person.computer.platform === 'iOS' || person.computer.platform === 'android';
    const labels: MediaLabel[] = ['main-audio'];
    if (this.rng.chance(person.kind === 'room' ? 0.9 : handheld ? video / 2 : video)) labels.push('main-video');
    if (!handheld && this.rng.chance(share)) labels.push('applicationsharing-video');
    return labels;
  }

  private device(person: Person): Person['computer'] {
    return person.phone !== undefined && this.rng.chance(0.2) ? person.phone : person.computer;
  }

  private other(people: readonly Person[], not: Person): Person {
    let p = this.rng.pick(people);
    while (p === not) p = this.rng.pick(people);
    return p;
  }

  private distinct(people: readonly Person[], n: number, not?: Person): Person[] {
    const chosen = new Set<Person>();
    const count = Math.min(n, people.length - 1);
    while (chosen.size < count) {
      const p = this.rng.pick(people);
      if (p !== not) chosen.add(p);
    }
    return [...chosen];
  }

  private participant(a: Attendee): JsonObject {
    if ('phone' in a) {
      return { id: a.id, identity: { phone: { id: a.phone, displayName: null } }, administrativeUnitInfos: [] };
    }
    const p = a.person;
    const user = { id: p.id, displayName: p.displayName, tenantId: p.tenantId, userPrincipalName: p.userPrincipalName };
    return { id: p.id, identity: { user }, administrativeUnitInfos: [] };
  }
}

interface Built {
  sessions: BuiltSession[];
  /** The organizer first. */
  attendees: Attendee[];
  joinWebUrl: string | null;
}
