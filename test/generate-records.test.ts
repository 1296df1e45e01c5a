/** The generator (src/generate): same seed, same bytes; valid records; data shaped like a real organisation. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { formatIssue, validateCallRecord } from '../src/domain/validate.js';
import { generateRecords, writeGeneratedNdjson, type GenerateOptions } from '../src/generate/index.js';
import { classifyAudioStream } from './helpers/call-quality.js';
import type { Json } from './helpers/json.js';

const FROM = new Date('2024-03-01T00:00:00Z');
const OPTIONS: GenerateOptions = { calls: 2000, seed: 42, from: FROM, days: 30, versions: false };

/** Writes to a hash, slowly, so that backpressure is exercised. */
async function ndjsonDigest(options: GenerateOptions): Promise<{ digest: string; lines: number; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      setImmediate(done);
    },
  });
  const lines = await writeGeneratedNdjson(options, sink);
  return { digest: hash.digest('hex'), lines, bytes };
}

describe('generateRecords: determinism', () => {
  const small = { ...OPTIONS, calls: 150 };

  test('the same seed and options give the same bytes; another seed gives others', async () => {
    const first = await ndjsonDigest(small);
    const again = await ndjsonDigest(small);
    const other = await ndjsonDigest({ ...small, seed: 43 });
    assert.equal(first.lines, 150);
    assert.equal(again.digest, first.digest);
    assert.notEqual(other.digest, first.digest);
    const lines = [...generateRecords(small)].map((r) => JSON.stringify(r) + '\n').join('');
    assert.equal(
      createHash('sha256').update(lines).digest('hex'),
      first.digest,
      'the writer writes what the generator yields',
    );
  });

  test('people and call ids depend on the seed only; moving the window moves only the times', () => {
    const march = [...generateRecords({ ...small, calls: 40 })];
    const june = [...generateRecords({ ...small, calls: 40, from: new Date('2025-06-01T00:00:00Z') })];
    assert.deepEqual(
      june.map((r) => r.id),
      march.map((r) => r.id),
    );
    assert.deepEqual(
      june.map((r) => (r.organizer_v2 as Json).id),
      march.map((r) => (r.organizer_v2 as Json).id),
    );
    assert.ok(
      june.every((r) => (r.startDateTime as string) >= '2025-06-01'),
      'June records start in June',
    );
  });

  test('options out of range are refused', () => {
    assert.throws(() => generateRecords({ ...small, calls: -1 }), RangeError);
    assert.throws(() => generateRecords({ ...small, days: 0 }), RangeError);
    assert.throws(() => generateRecords({ ...small, from: new Date('nope') }), RangeError);
    assert.throws(() => generateRecords({ ...small, sessions: 0 }), RangeError);
    assert.throws(() => generateRecords({ ...small, sessions: 2.5 }), RangeError);
  });

  test('the shape options left at their defaults change nothing', async () => {
    const plain = await ndjsonDigest(small);
    const explicit = await ndjsonDigest({ ...small, sessions: undefined, media: true });
    assert.equal(explicit.digest, plain.digest);
  });
});

describe('generateRecords: fixed shapes (sessions, media)', () => {
  const shaped = (extra: Partial<GenerateOptions>) => census({ ...OPTIONS, calls: 40, ...extra });

  test('sessions 1 without media: valid two-person calls of one session, segments without media, a few KB', () => {
    const sizes: number[] = [];
    const c = shaped({ sessions: 1, media: false });
    const records = [...generateRecords({ ...OPTIONS, calls: 40, sessions: 1, media: false })];
    for (const r of records) sizes.push(JSON.stringify(r).length);
    assert.deepEqual(c.invalid, []);
    assert.deepEqual([...c.types], [['peerToPeer', 40]]);
    assert.equal(c.sessions, 40);
    for (const r of records as Json[]) {
      for (const session of r.sessions) for (const segment of session.segments) assert.deepEqual(segment.media, []);
    }
    assert.ok(Math.max(...sizes) < 8_000, `largest record ${Math.max(...sizes)} bytes`);
  });

  test('sessions 200: every record a valid meeting of exactly 200 sessions, one per person', () => {
    const c = shaped({ calls: 3, sessions: 200 });
    const records = [...generateRecords({ ...OPTIONS, calls: 3, sessions: 200 })] as Json[];
    assert.deepEqual(c.invalid, []);
    assert.deepEqual([...c.types], [['groupCall', 3]]);
    assert.deepEqual(
      records.map((r) => [r.sessions.length, r.participants_v2.length]),
      [
        [200, 200],
        [200, 200],
        [200, 200],
      ],
    );
  });

  test('a size beyond the directory is filled with people joining again', () => {
    const [record] = [...generateRecords({ ...OPTIONS, calls: 1, sessions: 700, media: false })] as Json[];
    assert.equal(record!.sessions.length, 700);
    assert.ok(validateCallRecord(JSON.parse(JSON.stringify(record))).ok);
  });

  test('the same shape and seed give the same bytes', async () => {
    const options = { ...OPTIONS, calls: 20, sessions: 12, media: false };
    assert.equal((await ndjsonDigest(options)).digest, (await ndjsonDigest(options)).digest);
  });
});

/** What a call-quality analyst would count in a data set. */
interface Census {
  records: number;
  invalid: string[];
  types: Map<string, number>;
  largest: { sessions: number; participants: number };
  meetingsPastPages: number;
  audio: Record<'wired' | 'wifi' | 'mobile', { good: number; poor: number }>;
  unclassified: number;
  sessions: number;
  multiSegmentSessions: number;
  failures: Map<string, number>;
  feedback: number;
  labels: Set<string>;
  directions: Set<string>;
  roles: Set<string>;
  platforms: Set<string>;
  families: Set<string>;
  wifiBands: Set<string>;
  traceRoutes: number;
  outsideWindow: number;
  /** Sessions outside their record's times, segments outside their session's. */
  timesOutOfOrder: number;
}

function census(options: GenerateOptions, onRecord?: (r: Json) => void): Census {
  const c: Census = {
    records: 0,
    invalid: [],
    types: new Map(),
    largest: { sessions: 0, participants: 0 },
    meetingsPastPages: 0,
    audio: { wired: { good: 0, poor: 0 }, wifi: { good: 0, poor: 0 }, mobile: { good: 0, poor: 0 } },
    unclassified: 0,
    sessions: 0,
    multiSegmentSessions: 0,
    failures: new Map(),
    feedback: 0,
    labels: new Set(),
    directions: new Set(),
    roles: new Set(),
    platforms: new Set(),
    families: new Set(),
    wifiBands: new Set(),
    traceRoutes: 0,
    outsideWindow: 0,
    timesOutOfOrder: 0,
  };
  const within = (inner: Json, outer: Json) =>
    inner.startDateTime >= outer.startDateTime && inner.endDateTime <= outer.endDateTime;
  const windowEnd = new Date(options.from.getTime() + options.days * 86_400_000).toISOString();
  const endpoint = (e: Json) => {
    const agent = e?.userAgent;
    if (agent?.role) c.roles.add(agent.role);
    if (agent?.platform) c.platforms.add(agent.platform);
    if (agent?.productFamily) c.families.add(agent.productFamily);
  };
  for (const generated of generateRecords(options)) {
    // What the import reads: the JSON text, parsed.
    const record = JSON.parse(JSON.stringify(generated)) as Json;
    onRecord?.(record);
    const result = validateCallRecord(JSON.parse(JSON.stringify(generated)));
    if (!result.ok) c.invalid.push(`${record.id}: ${result.errors.map(formatIssue).join('; ')}`);
    else if (result.warnings.length > 0) c.invalid.push(`${record.id}: ${result.warnings.map(formatIssue).join('; ')}`);
    c.records++;
    c.types.set(record.type, (c.types.get(record.type) ?? 0) + 1);
    if (record.startDateTime < options.from.toISOString() || record.startDateTime >= windowEnd) c.outsideWindow++;
    const sessions = record.sessions.length;
    const participants = record.participants_v2.length;
    if (sessions > c.largest.sessions) c.largest = { sessions, participants };
    if (sessions > 60 && participants > 130) c.meetingsPastPages++;
    for (const session of record.sessions) {
      c.sessions++;
      if (!within(session, record)) c.timesOutOfOrder++;
      for (const segment of session.segments) if (!within(segment, session)) c.timesOutOfOrder++;
      if (session.segments.length > 1) c.multiSegmentSessions++;
      if (session.failureInfo)
        c.failures.set(session.failureInfo.stage, (c.failures.get(session.failureInfo.stage) ?? 0) + 1);
      endpoint(session.caller);
      endpoint(session.callee);
      for (const segment of session.segments) {
        endpoint(segment.caller);
        endpoint(segment.callee);
        for (const side of [segment.caller, segment.callee]) if (side.feedback) c.feedback++;
        for (const media of segment.media) {
          c.labels.add(media.label);
          for (const net of [media.callerNetwork, media.calleeNetwork]) {
            if (net.connectionType === 'wifi') c.wifiBands.add(net.wifiBand);
            if (net.traceRouteHops.length > 0) c.traceRoutes++;
          }
          for (const stream of media.streams) {
            c.directions.add(stream.streamDirection);
            if (media.label !== 'main-audio') continue;
            // A client's network decides: the worst client network on the leg (services sit in datacenters).
            const kinds = [media.callerNetwork, media.calleeNetwork]
              .filter((n: Json) => n.subnet !== null)
              .map((n: Json) => n.connectionType as string);
            const kind = kinds.includes('mobile') ? 'mobile' : kinds.includes('wifi') ? 'wifi' : 'wired';
            const cls = classifyAudioStream(stream);
            if (cls === 'unclassified') c.unclassified++;
            else c.audio[kind][cls]++;
          }
        }
      }
    }
  }
  return c;
}

const share = (x: { good: number; poor: number }) => x.poor / (x.poor + x.good);

describe('generateRecords: 2,000 calls with a fixed seed', () => {
  let c: Census;
  before(() => (c = census(OPTIONS)));

  test('every record passes the ingest validation without warnings', () => {
    assert.equal(c.records, 2000);
    assert.deepEqual(c.invalid.slice(0, 5), []);
  });

  test('a mix of peer-to-peer calls and group calls', () => {
    const p2p = c.types.get('peerToPeer') ?? 0;
    const group = c.types.get('groupCall') ?? 0;
    assert.equal(p2p + group, 2000);
    assert.ok(p2p > 600 && group > 600, `peerToPeer ${p2p}, groupCall ${group}`);
  });

  test('meetings are heavy-tailed: some have more than 60 sessions and 130 participants (Graph page sizes)', () => {
    assert.ok(c.meetingsPastPages >= 1, `largest: ${JSON.stringify(c.largest)}`);
    assert.ok(c.sessions / c.records < 10, `${c.sessions / c.records} sessions per record on average`);
  });

  test('audio streams: 3–15 % poor by the CQD rules, worse on WiFi and mobile than wired, some unclassifiable', () => {
    const all = { good: 0, poor: 0 };
    for (const k of ['wired', 'wifi', 'mobile'] as const) {
      all.good += c.audio[k].good;
      all.poor += c.audio[k].poor;
    }
    const detail = JSON.stringify(c.audio);
    assert.ok(share(all) >= 0.03 && share(all) <= 0.15, `poor share ${share(all)}: ${detail}`);
    assert.ok(share(c.audio.wifi) > share(c.audio.wired), `WiFi not worse than wired: ${detail}`);
    assert.ok(share(c.audio.mobile) > share(c.audio.wired), `mobile not worse than wired: ${detail}`);
    assert.ok(c.unclassified > 0.01 * (all.good + all.poor), `only ${c.unclassified} unclassified audio streams`);
  });

  test('sessions: mostly one segment, several on PSTN paths; failures on a few percent; some feedback', () => {
    assert.ok(
      c.multiSegmentSessions > 0 && c.multiSegmentSessions < 0.2 * c.sessions,
      `${c.multiSegmentSessions} of ${c.sessions}`,
    );
    const failed = (c.failures.get('callSetup') ?? 0) + (c.failures.get('midcall') ?? 0);
    assert.ok(
      (c.failures.get('callSetup') ?? 0) > 0 && (c.failures.get('midcall') ?? 0) > 0,
      JSON.stringify([...c.failures]),
    );
    assert.ok(failed > 0.005 * c.sessions && failed < 0.08 * c.sessions, `${failed} failed of ${c.sessions} sessions`);
    assert.ok(c.feedback > 0, 'no feedback at all');
  });

  test('media, endpoints and networks cover what Graph reports', () => {
    assert.deepEqual([...c.labels].sort(), ['applicationsharing-video', 'main-audio', 'main-video']);
    assert.deepEqual([...c.directions].sort(), ['calleeToCaller', 'callerToCallee']);
    for (const role of [
      'skypeForBusinessAudioVideoMcu',
      'gateway',
      'voicemail',
      'skypeForBusinessCallQueues',
      'skypeForBusinessAutoAttendant',
    ]) {
      assert.ok(c.roles.has(role), `no service endpoint with role ${role}`);
    }
    for (const platform of ['windows', 'macOS', 'iOS', 'android', 'web', 'roomSystem']) {
      assert.ok(c.platforms.has(platform), `no ${platform} client`);
    }
    assert.ok(c.families.has('teams') && c.families.size > 1, [...c.families].join());
    assert.deepEqual([...c.wifiBands].sort(), ['frequency24GHz', 'frequency50GHz']);
    assert.ok(c.traceRoutes > 0, 'no trace-route hops');
    assert.equal(c.outsideWindow, 0, 'every call starts in the window');
    assert.equal(c.timesOutOfOrder, 0, 'segments lie within their session, sessions within their record');
  });
});

describe('generateRecords: versions', () => {
  test('each call gives 1–3 valid versions in order, modified after the call ended; the last is the plain record', () => {
    const options = { ...OPTIONS, calls: 600 };
    const finals = new Map<string, string>();
    for (const r of generateRecords(options)) finals.set(r.id as string, JSON.stringify(r));
    const seen = new Map<string, { version: number; modified: string }>();
    let incomplete: string | undefined;
    const c = census({ ...options, versions: true }, (r) => {
      const previous = seen.get(r.id);
      assert.equal(r.version, (previous?.version ?? 0) + 1, `${r.id}: version ${r.version} after ${previous?.version}`);
      assert.ok(r.lastModifiedDateTime > r.endDateTime, `${r.id}: modified before the end`);
      assert.ok(previous === undefined || r.lastModifiedDateTime > previous.modified, `${r.id}: modified went back`);
      seen.set(r.id, { version: r.version, modified: r.lastModifiedDateTime });
      // Version 1 of a call with later versions has no stream metrics yet; every later version has them.
      assert.ok(incomplete === undefined || incomplete === r.id, `${incomplete} has no complete version`);
      const stream = r.sessions[0].segments[0].media[0]?.streams[0];
      const metrics = stream === undefined || 'averageJitter' in stream;
      assert.ok(metrics || r.version === 1, `${r.id} v${r.version} has no stream metrics`);
      incomplete = metrics ? undefined : r.id;
      if (JSON.stringify(r) === finals.get(r.id)) finals.delete(r.id);
    });
    assert.deepEqual(c.invalid.slice(0, 5), []);
    assert.equal(incomplete, undefined, 'the last call ends complete');
    assert.equal(seen.size, 600, 'calls counts distinct calls');
    assert.ok(c.records > 700 && c.records <= 1800, `${c.records} versions of 600 calls`);
    assert.equal(finals.size, 0, 'the last version of each call is the record generated without versions');
  });
});
