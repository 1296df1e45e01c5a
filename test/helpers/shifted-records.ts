import { generateRecords } from '../../src/generate/index.js';

const ISO = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)([^"]*Z)"/g;

/**
 * A generated record (every version of it when `versions`) moved in time so that its call ends at `end`: every
 * date-time in it is shifted by the same whole number of seconds, fractions kept, so it stays valid and consistent.
 * `pick` chooses among the first calls of the seed (say, one with several versions).
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
  const last = chosen.at(-1)!;
  const delta = Math.round((end.getTime() - Date.parse(String(last.endDateTime))) / 1000) * 1000;
  return chosen.map(
    (record) =>
      JSON.parse(
        JSON.stringify(record).replace(ISO, (_m, head: string, tail: string) => {
          const moved = new Date(Date.parse(`${head}Z`) + delta).toISOString().slice(0, 19);
          return `"${moved}${tail}"`;
        }),
      ) as Record<string, unknown>,
  );
}
