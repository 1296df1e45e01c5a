/**
 * CQD's stream classification as the stream table applies it, on every backend
 * (https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard): a table of every rule
 * boundary written through the store and read back, and a whole generated tenant classified by the table and by an
 * independent function written here straight from the published rules — identical, stream by stream, with the
 * current and the legacy rule sets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEGACY_RULES, CURRENT_RULES } from '../src/analytics/rule-sets.js';
import { validateCallRecord } from '../src/domain/validate.js';
import { generateRecords } from '../src/generate/index.js';
import { toRecordWrite } from '../src/service/record-fragments.js';
import type { CallRecordDatabase } from '../src/storage/roles.js';
import type { StoredStream } from '../src/storage/stream-types.js';
import { BACKENDS } from './helpers/databases.js';
import { makeRecord } from './helpers/records.js';

type Json = Record<string, unknown>;
const RECEIVED = '2026-03-01T00:00:00.000Z';

interface Case {
  name: string;
  label: string;
  stream: Json;
  current: [string, string];
  /** When the legacy rules decide otherwise. */
  legacy?: [string, string];
}

const AUDIO_OK = {
  packetUtilization: 900,
  averageJitter: 'PT0.01S',
  averagePacketLossRate: 0.01,
  averageRoundTripTime: 'PT0.1S',
};
const VIDEO_NONE = {
  averageVideoFrameLossPercentage: null,
  averageVideoFrameRate: null,
  postForwardErrorCorrectionPacketLossRate: null,
};

/** Every boundary of the rules: [classification, poor reasons] under the current (and legacy) rules. */
const CASES: Case[] = [
  {
    name: 'audio, exactly 500 packets: gate closed',
    label: 'main-audio',
    stream: { ...AUDIO_OK, packetUtilization: 500, averageJitter: 'PT0.2S' },
    current: ['Unclassified', ''],
  },
  {
    name: 'audio, 501 packets: classified',
    label: 'main-audio',
    stream: { ...AUDIO_OK, packetUtilization: 501 },
    current: ['Good', ''],
  },
  {
    name: 'audio, no packet count',
    label: 'main-audio',
    stream: { ...AUDIO_OK, packetUtilization: null },
    current: ['Unclassified', ''],
  },
  {
    name: 'audio, jitter exactly 30 ms',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageJitter: 'PT0.03S' },
    current: ['Good', ''],
  },
  {
    name: 'audio, jitter 31 ms',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageJitter: 'PT0.031S' },
    current: ['Poor', 'jitter'],
  },
  {
    name: 'audio, packet loss exactly 0.1',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averagePacketLossRate: 0.1 },
    current: ['Good', ''],
  },
  {
    name: 'audio, packet loss 0.1001',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averagePacketLossRate: 0.1001 },
    current: ['Poor', 'packetLoss'],
  },
  {
    name: 'audio, round trip exactly 500 ms',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageRoundTripTime: 'PT0.5S' },
    current: ['Good', ''],
  },
  {
    name: 'audio, round trip 501 ms',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageRoundTripTime: 'PT0.501S' },
    current: ['Poor', 'roundTrip'],
  },
  {
    name: 'audio, every reason at once',
    label: 'main-audio',
    stream: {
      packetUtilization: 2000,
      averageJitter: 'PT0.05S',
      averagePacketLossRate: 0.2,
      averageRoundTripTime: 'PT1S',
      averageAudioDegradation: 1.5,
      averageRatioOfConcealedSamples: 0.2,
    },
    current: ['Poor', 'jitter;packetLoss;roundTrip'],
    legacy: ['Poor', 'jitter;packetLoss;roundTrip;degradation;concealedRatio'],
  },
  {
    name: 'audio, degradation exactly 1.0',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageAudioDegradation: 1.0 },
    current: ['Good', ''],
  },
  {
    name: 'audio, degradation 1.01',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageAudioDegradation: 1.01 },
    current: ['Good', ''],
    legacy: ['Poor', 'degradation'],
  },
  {
    name: 'audio, concealed exactly 0.07',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageRatioOfConcealedSamples: 0.07 },
    current: ['Good', ''],
  },
  {
    name: 'audio, concealed 0.0701',
    label: 'main-audio',
    stream: { ...AUDIO_OK, averageRatioOfConcealedSamples: 0.0701 },
    current: ['Good', ''],
    legacy: ['Poor', 'concealedRatio'],
  },
  {
    name: 'audio, gate open but no metric',
    label: 'main-audio',
    stream: { packetUtilization: 900 },
    current: ['Unclassified', ''],
  },
  {
    name: 'audio, only jitter measured',
    label: 'main-audio',
    stream: { packetUtilization: 900, averageJitter: 'PT0.04S' },
    current: ['Poor', 'jitter'],
  },
  {
    name: 'video, frame loss exactly 50 %',
    label: 'main-video',
    stream: { averageVideoFrameLossPercentage: 50, averageVideoFrameRate: 1 },
    current: ['Good', ''],
  },
  {
    name: 'video, frame loss 50.1 % decides first',
    label: 'main-video',
    stream: { averageVideoFrameLossPercentage: 50.1, averageVideoFrameRate: 30 },
    current: ['Poor', 'frameLoss'],
  },
  {
    name: 'video, no frame loss: frame rate 7 fps',
    label: 'main-video',
    stream: { ...VIDEO_NONE, averageVideoFrameRate: 7, postForwardErrorCorrectionPacketLossRate: 0.9 },
    current: ['Good', ''],
  },
  {
    name: 'video, no frame loss: frame rate 6.9 fps',
    label: 'panoramic-video',
    stream: { ...VIDEO_NONE, averageVideoFrameRate: 6.9 },
    current: ['Poor', 'frameRate'],
  },
  {
    name: 'video, only post-FEC loss 0.15',
    label: 'main-video',
    stream: { ...VIDEO_NONE, postForwardErrorCorrectionPacketLossRate: 0.15 },
    current: ['Good', ''],
  },
  {
    name: 'video, only post-FEC loss 0.1501',
    label: 'main-video',
    stream: { ...VIDEO_NONE, postForwardErrorCorrectionPacketLossRate: 0.1501 },
    current: ['Poor', 'postFecPacketLoss'],
  },
  { name: 'video, no metric', label: 'main-video', stream: { ...VIDEO_NONE }, current: ['Unclassified', ''] },
  {
    name: 'VBSS, frame rate 2 fps',
    label: 'applicationsharing-video',
    stream: { ...VIDEO_NONE, averageVideoFrameRate: 2 },
    current: ['Good', ''],
  },
  {
    name: 'VBSS, frame rate 1.9 fps',
    label: 'applicationsharing-video',
    stream: { ...VIDEO_NONE, averageVideoFrameRate: 1.9 },
    current: ['Poor', 'frameRate'],
  },
  {
    name: 'VBSS, frame rate 5 fps is not poor (video would be)',
    label: 'applicationsharing-video',
    stream: { ...VIDEO_NONE, averageVideoFrameRate: 5 },
    current: ['Good', ''],
  },
  {
    name: 'VBSS, frame loss 60 %',
    label: 'applicationsharing-video',
    stream: { averageVideoFrameLossPercentage: 60 },
    current: ['Poor', 'frameLoss'],
  },
  {
    name: 'other media (data): never classified',
    label: 'data',
    stream: { ...AUDIO_OK, averageJitter: 'PT1S' },
    current: ['Unclassified', ''],
  },
];

function caseRecord(c: Case, i: number): Json {
  const record = makeRecord({ id: `case-${i}`, start: `2026-02-0${1 + (i % 9)}T10:00:00Z` });
  const segment = (record.sessions as { segments: Json[] }[])[0]!.segments[0]!;
  segment.media = [
    { label: c.label, streams: [{ streamId: String(i), streamDirection: 'callerToCallee', ...c.stream }] },
  ];
  return record;
}

function writesOf(records: readonly Json[]) {
  return records.map((record) => {
    const result = validateCallRecord(structuredClone(record));
    assert.ok(result.ok, JSON.stringify(!result.ok && result));
    return toRecordWrite(result.record, result.hasEvolvableMembers);
  });
}

async function allStreams(db: CallRecordDatabase): Promise<StoredStream[]> {
  const rows: StoredStream[] = [];
  for (;;) {
    const last = rows.at(-1);
    const cursor = last && { startKey: last.start_key, recordId: last.record_id, ordinal: Number(last.ordinal) };
    const page = await db.streams.readStreams({}, cursor, 1000);
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

// ---- The rules, written again from the published page, on Graph's JSON: no code shared with src/analytics. ----

function seconds(duration: unknown): number | null {
  if (typeof duration !== 'string') return null;
  const m = /^PT(\d+(?:\.\d+)?)S$/.exec(duration);
  assert.ok(m, `a duration of seconds: ${duration}`);
  return Number(m[1]);
}

const n = (v: unknown) => (typeof v === 'number' ? v : null);

/** CQD: Good / Poor / Unclassified and the reasons, for one stream of a medium labelled `label`. */
function cqd(label: unknown, s: Json, legacy: boolean): [string, string] {
  if (label === 'main-audio') {
    const packets = n(s.packetUtilization);
    if (packets === null || packets <= 500) return ['Unclassified', ''];
    const metrics: [string, number | null, number][] = [
      ['jitter', seconds(s.averageJitter), 0.03],
      ['packetLoss', n(s.averagePacketLossRate), 0.1],
      ['roundTrip', seconds(s.averageRoundTripTime), 0.5],
    ];
    if (legacy) {
      metrics.push(['degradation', n(s.averageAudioDegradation), 1.0]);
      metrics.push(['concealedRatio', n(s.averageRatioOfConcealedSamples), 0.07]);
    }
    const present = metrics.filter(([, v]) => v !== null);
    if (present.length === 0) return ['Unclassified', ''];
    const reasons = present.filter(([, v, limit]) => v! > limit).map(([r]) => r);
    return [reasons.length > 0 ? 'Poor' : 'Good', reasons.join(';')];
  }
  const sharing = label === 'applicationsharing-video';
  if (!sharing && !(typeof label === 'string' && label.endsWith('video'))) return ['Unclassified', ''];
  const frameLoss = n(s.averageVideoFrameLossPercentage);
  if (frameLoss !== null) return frameLoss > 50 ? ['Poor', 'frameLoss'] : ['Good', ''];
  const frameRate = n(s.averageVideoFrameRate);
  if (frameRate !== null) return frameRate < (sharing ? 2 : 7) ? ['Poor', 'frameRate'] : ['Good', ''];
  const postFec = n(s.postForwardErrorCorrectionPacketLossRate);
  if (postFec !== null) return postFec > 0.15 ? ['Poor', 'postFecPacketLoss'] : ['Good', ''];
  return ['Unclassified', ''];
}

/** Every stream of a record in document order, with the expected class, segment and call flags. */
function expected(record: Json, legacy: boolean): Map<string, string> {
  const out: [string, string, number][] = [];
  const segments: number[] = [];
  for (const session of record.sessions as Json[]) {
    for (const segment of (session.segments as Json[]) ?? []) {
      const from = out.length;
      let segmentPoor = 0;
      for (const media of (segment.media as Json[]) ?? []) {
        for (const stream of (media.streams as Json[]) ?? []) {
          const [cls, reasons] = cqd(media.label, stream, legacy);
          if (media.label === 'main-audio' && cls === 'Poor') segmentPoor = 1;
          out.push([cls, reasons, 0]);
        }
      }
      for (let i = from; i < out.length; i++) segments[i] = segmentPoor;
    }
  }
  const callPoor = segments.some((p) => p === 1) ? 1 : 0;
  return new Map(
    out.map(([cls, reasons], i) => [`${record.id as string}#${i}`, `${cls}|${reasons}|${segments[i]}|${callPoor}`]),
  );
}

const actual = (rows: readonly StoredStream[]) =>
  new Map(
    rows.map((r) => [
      `${r.record_id}#${Number(r.ordinal)}`,
      `${r.classification}|${r.poor_reasons}|${Number(r.segment_poor)}|${Number(r.call_poor)}`,
    ]),
  );

for (const backend of BACKENDS) {
  describe(`stream classification: ${backend.name}`, () => {
    let db: CallRecordDatabase;
    before(async () => {
      db = await backend.open();
    });
    after(async () => {
      await db.close();
    });

    test('every rule boundary, current and legacy rules', async () => {
      await db.records.write(writesOf(CASES.map(caseRecord)), RECEIVED);
      const check = async (legacy: boolean) => {
        const rows = await allStreams(db);
        for (const [i, c] of CASES.entries()) {
          const row = rows.find((r) => r.record_id === `case-${i}`);
          assert.ok(row, c.name);
          const want = legacy ? (c.legacy ?? c.current) : c.current;
          assert.deepEqual([row.classification, row.poor_reasons], want, c.name);
        }
      };
      await check(false);
      await db.streams.rebuild(LEGACY_RULES);
      await check(true);
      await db.streams.rebuild(CURRENT_RULES);
      await check(false);
      assert.equal(CASES.length, (await allStreams(db)).length);
      await db.upkeep.expire('9999-01-01T00:00:00.0000000Z');
    });

    test('a whole generated tenant: the table and the rules written here agree on every stream', async () => {
      const records = [
        ...generateRecords({ calls: 150, seed: 42, from: new Date('2026-01-05T00:00:00Z'), days: 14, versions: false }),
      ] as Json[];
      await db.records.write(writesOf(records), RECEIVED);
      for (const legacy of [false, true]) {
        if (legacy) await db.streams.rebuild(LEGACY_RULES);
        const want = new Map(records.flatMap((r) => [...expected(r, legacy)]));
        const got = actual(await allStreams(db));
        assert.equal(got.size, want.size);
        assert.ok(want.size > 1000, `${want.size} streams`);
        const classes = new Set([...want.values()].map((v) => v.split('|')[0]));
        assert.deepEqual([...classes].sort(), ['Good', 'Poor', 'Unclassified']);
        for (const [key, value] of want) assert.equal(got.get(key), value, key);
      }
    });
  });
}
