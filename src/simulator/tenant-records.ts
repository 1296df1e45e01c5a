import { generateRecords } from '../generate/index.js';

/** The simulated tenant's size and time span, as `callrecords generate` takes them. */
export interface TenantShape {
  calls: number;
  seed: number;
  from: Date;
  days: number;
  /** Every version of each call (the `updated` fault), or only the last. */
  versions: boolean;
}

/** Graph's page sizes: a record with more sessions or participants than these is paged (spec §8). */
const SESSIONS_PAGE = 60;
const PARTICIPANTS_PAGE = 130;
/** The size of the meeting added when the drawn calls hold none past both page sizes. */
const BIG_MEETING_SESSIONS = 140;
const DAY = 86_400_000;

/**
 * The generated records of a tenant, in order of start time, then — if none of them has more than 60 sessions and
 * 130 participants — one meeting of 140 people in the middle of the window (from its own seed, so it never shares an
 * id with the others), so that every tenant exercises Graph's paging of sessions and participants.
 */
export function* tenantRecords(shape: TenantShape): Generator<Record<string, unknown>> {
  let big = false;
  for (const record of generateRecords({ ...shape })) {
    big ||= isBigMeeting(record);
    yield record;
  }
  if (big) return;
  yield* generateRecords({
    calls: 1,
    seed: (shape.seed ^ 0x6d2b79f5) >>> 0,
    from: new Date(shape.from.getTime() + (shape.days * DAY) / 2),
    days: 1,
    versions: shape.versions,
    sessions: BIG_MEETING_SESSIONS,
  });
}

/** Whether a record is paged by Graph both in sessions and in participants. */
export function isBigMeeting(record: Record<string, unknown>): boolean {
  const count = (key: string) => (Array.isArray(record[key]) ? (record[key] as unknown[]).length : 0);
  return count('sessions') > SESSIONS_PAGE && count('participants_v2') > PARTICIPANTS_PAGE;
}
