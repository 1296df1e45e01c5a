import { generateRecords } from '../../src/generate/index.js';
import { shiftRecord } from '../../src/simulator/shift-record.js';

/**
 * A generated record (every version of it when `versions`) moved in time so that its call ends at `end` (to the
 * second), dates kept consistent. `pick` chooses among the first calls of the seed (say, one with several versions).
 */
export function recordsEndingAt(
  end: Date,
  options: { seed?: number; versions?: boolean; pick?: (versions: Record<string, unknown>[]) => boolean } = {},
): Record<string, unknown>[] {
  const all = [
    ...generateRecords({
      calls: 50,
      seed: options.seed ?? 3,
      from: new Date('2026-01-05T00:00:00Z'),
      days: 2,
      versions: options.versions ?? false,
    }),
  ];
  const calls = new Map<string, Record<string, unknown>[]>();
  for (const record of all) calls.set(record.id as string, [...(calls.get(record.id as string) ?? []), record]);
  const chosen = [...calls.values()].find(options.pick ?? (() => true));
  if (chosen === undefined) throw new Error('no generated call fits');
  const delta = end.getTime() - Date.parse(String(chosen.at(-1)!.endDateTime));
  return chosen.map((record) => shiftRecord(record, delta));
}
