/**
 * Deterministic, realistic Graph callRecord objects for benchmarks: a seeded mix of peer-to-peer calls (one session)
 * and group calls (2–40 sessions, one per join, against a conferencing server), each session with one segment (now
 * and then two), each segment with 1–3 media. Every record passes the service's validation (bench/import.ts checks
 * that the import rejects none). The same seed and count always give the same bytes.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { graphTime, sampleMedia, type JsonObject, type MediaLabel, type SideKind } from './sample-media.js';
import { seededRandom, type SeededRandom } from '../src/generate/seeded-random.js';

export type { JsonObject } from './sample-media.js';

/** The seed every benchmark uses unless told otherwise. */
export const DEFAULT_SEED = 20240301;

/** Shape overrides for one record; by default the generator draws them. */
export interface RecordShape {
  /** Number of sessions; 1 makes a peer-to-peer call, more a group call. */
  sessions?: number;
  /**
   * False for a record without media (every segment's `media` empty): about 4 KB instead of 43 KB, still valid. The
   * list benchmark fills large databases with these (bench/bench-data.ts explains why that is fair).
   */
  media?: boolean;
}

/** A person of the generated tenant. */
interface Person {
  id: string;
  displayName: string;
  userPrincipalName: string;
  machine: string;
  agent: JsonObject;
}

const TENANT_ID = 'dc368399-474c-4d40-900c-6265431fd81f';
const DIRECTORY_SIZE = 400;
const FIRST_MS = Date.UTC(2024, 2, 1, 7, 0, 0);
const MINUTE = 60_000;
const FIRST_NAMES = ['Abbie', 'Owen', 'Priya', 'Lars', 'Mei', 'Tomasz', 'Aisha', 'Diego', 'Hanna', 'Kwame', 'Noor'];
const LAST_NAMES = ['Wilkins', 'Franklin', 'Nair', 'Berg', 'Chen', 'Nowak', 'Okafor', 'Ruiz', 'Virtanen', 'Mensah'];
const CLIENTS = [
  ['windows', 'Teams/24.1.100.2002 (Windows 10.0.22631; x64)', '24.1.100.2002'],
  ['macOS', 'Teams/24.1.100.2002 (Mac OS X 14.2.1; arm64)', '24.1.100.2002'],
  ['iOS', 'Teams/6.1.0 (iPhone15,2; iOS 17.2)', '6.1.0'],
  ['android', 'Teams/1416/1.0.0.2024011001 (SM-S911B; Android 14)', '1.0.0.2024011001'],
  ['web', 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Teams/24.1 (web)', '24.1.0.0'],
] as const;
const MCU_AGENT = {
  '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent',
  headerValue: 'AV-MCU/2024.1.15.2 (Microsoft Teams media processor)',
  applicationVersion: '2024.1.15.2',
  role: 'skypeForBusinessAudioVideoMcu',
};
const MODALITY: Record<MediaLabel, string> = {
  'main-audio': 'audio',
  'main-video': 'video',
  'applicationsharing-video': 'screenSharing',
};

/** Generates call records one at a time from one seed; record `i` depends only on the seed and the records before. */
export class SampleRecords {
  private readonly rng: SeededRandom;
  private readonly people: Person[];
  private index = 0;

  constructor(seed = DEFAULT_SEED) {
    this.rng = seededRandom(seed);
    this.people = Array.from({ length: DIRECTORY_SIZE }, (_, i) => person(this.rng, i));
  }

  /** The next record, with its start time a few minutes after the previous one's. */
  next(shape: RecordShape = {}): JsonObject {
    const { rng } = this;
    const i = this.index++;
    const sessionCount = shape.sessions ?? (rng.chance(0.6) ? 1 : 2 + Math.floor(39 * rng.next() ** 4));
    const group = sessionCount > 1;
    const startMs = FIRST_MS + i * 3 * MINUTE + rng.int(0, 2 * MINUTE);
    const endMs = startMs + rng.int(group ? 10 : 1, group ? 90 : 45) * MINUTE;
    const attendees = group ? this.attendees(sessionCount) : [rng.pick(this.people), rng.pick(this.people)];
    const organizer = attendees[0]!;
    const sessions = group
      ? attendees.map((who) => this.session(who, undefined, startMs, endMs, shape.media !== false))
      : [this.session(attendees[0]!, attendees[1]!, startMs, endMs, shape.media !== false)];
    const modalities = [...new Set(sessions.flatMap((s) => s.modalities as string[]))];
    const distinct = [...new Map(attendees.map((p) => [p.id, p])).values()];
    const version = rng.chance(0.9) ? 1 : rng.int(2, 4);
    return {
      version,
      type: group ? 'groupCall' : 'peerToPeer',
      modalities,
      lastModifiedDateTime: graphTime(rng, endMs + rng.int(2, 30) * MINUTE),
      startDateTime: graphTime(rng, startMs),
      endDateTime: graphTime(rng, endMs),
      id: rng.guid(),
      joinWebUrl: group
        ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${rng.digits(12)}%40thread.v2/0`
        : null,
      organizer_v2: participant(organizer),
      participants_v2: distinct.map(participant),
      sessions,
    };
  }

  /** One join per session; about one attendee in ten joins twice (a dropped connection). */
  private attendees(sessionCount: number): Person[] {
    const out: Person[] = [];
    while (out.length < sessionCount) {
      const rejoin = out.length > 0 && this.rng.chance(0.1);
      out.push(rejoin ? this.rng.pick(out) : this.rng.pick(this.people));
    }
    return out;
  }

  private session(
    caller: Person,
    callee: Person | undefined,
    callStart: number,
    callEnd: number,
    withMedia: boolean,
  ): JsonObject {
    const { rng } = this;
    const span = callEnd - callStart;
    const startMs = callee === undefined ? callStart + Math.floor(rng.next() * span * 0.3) : callStart;
    const endMs = callee === undefined ? callEnd - Math.floor(rng.next() * (callEnd - startMs) * 0.3) : callEnd;
    const labels: MediaLabel[] = ['main-audio'];
    if (rng.chance(0.4)) labels.push('main-video');
    if (rng.chance(0.15)) labels.push('applicationsharing-video');
    const callerEndpoint = clientEndpoint(rng, caller);
    const calleeEndpoint = callee === undefined ? serviceEndpoint() : clientEndpoint(rng, callee);
    const cuts = rng.chance(0.12) ? [startMs, startMs + Math.floor((endMs - startMs) / 2), endMs] : [startMs, endMs];
    const side: SideKind = callee === undefined ? 'service' : 'client';
    const segments = cuts.slice(1).map((segEnd, k) => ({
      startDateTime: graphTime(rng, cuts[k]!),
      endDateTime: graphTime(rng, segEnd),
      id: rng.guid(),
      caller: callerEndpoint,
      callee: calleeEndpoint,
      failureInfo: null,
      media: withMedia
        ? labels.map((label) => sampleMedia(rng, { label, callee: side, startMs: cuts[k]!, endMs: segEnd }))
        : [],
    }));
    return {
      modalities: labels.map((l) => MODALITY[l]),
      startDateTime: graphTime(rng, startMs),
      endDateTime: graphTime(rng, endMs),
      id: rng.guid(),
      isTest: false,
      caller: callerEndpoint,
      callee: calleeEndpoint,
      failureInfo: null,
      segments,
    };
  }
}

/** `count` records from `seed`, generated lazily, after skipping the first `skip` of the same sequence. */
export function* sampleCallRecords(
  count: number,
  seed = DEFAULT_SEED,
  shape: RecordShape = {},
  skip = 0,
): Generator<JsonObject> {
  const records = new SampleRecords(seed);
  for (let i = 0; i < skip; i++) records.next(shape);
  for (let i = 0; i < count; i++) yield records.next(shape);
}

/** What writeNdjson wrote. */
export interface NdjsonFile {
  path: string;
  records: number;
  bytes: number;
}

/** Writes records as NDJSON (one compact JSON object per line), streaming and respecting backpressure. */
export async function writeNdjson(path: string, records: Iterable<JsonObject>): Promise<NdjsonFile> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let count = 0;
  let bytes = 0;
  try {
    for (const record of records) {
      const line = `${JSON.stringify(record)}\n`;
      count++;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await once(out, 'finish');
  return { path, records: count, bytes };
}

function person(rng: SeededRandom, i: number): Person {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const [platform, headerValue, applicationVersion] = rng.pick(CLIENTS);
  return {
    id: rng.guid(),
    displayName: `${first} ${last}`,
    userPrincipalName: `${first}.${last}${i}@contoso.com`.toLowerCase(),
    machine: `DESKTOP-${rng.digits(6)}`,
    agent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      headerValue,
      applicationVersion,
      platform,
      productFamily: 'teams',
      azureADAppId: null,
      communicationServiceId: null,
    },
  };
}

function clientEndpoint(rng: SeededRandom, who: Person): JsonObject {
  const rating = rng.chance(0.05) ? rng.pick(['poor', 'fair', 'good', 'excellent']) : undefined;
  return {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: who.machine,
    cpuCoresCount: rng.pick([4, 8, 12]),
    cpuName: rng.pick(['Intel(R) Core(TM) i7-1265U', 'Apple M2', 'AMD Ryzen 7 PRO 6850U']),
    cpuProcessorSpeedInMhz: rng.pick([1800, 2400, 3200]),
    userAgent: who.agent,
    associatedIdentity: userIdentity(who),
    feedback: rating === undefined ? null : { rating, text: null, tokens: { NoSound: false, DistortedSound: true } },
  };
}

function serviceEndpoint(): JsonObject {
  return { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', userAgent: MCU_AGENT };
}

function userIdentity(who: Person): JsonObject {
  return {
    id: who.id,
    displayName: who.displayName,
    tenantId: TENANT_ID,
    userPrincipalName: who.userPrincipalName,
  };
}

function participant(who: Person): JsonObject {
  return { id: who.id, identity: { user: userIdentity(who) }, administrativeUnitInfos: [] };
}
