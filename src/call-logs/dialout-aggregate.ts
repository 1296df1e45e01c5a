/**
 * The audio-conferencing dial-out report over a window: the stored reports whose period lies inside it, summed per
 * user, user location, destination context and currency, as getPstnOnlineMeetingDialoutReport aggregates
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-getpstnonlinemeetingdialoutreport).
 */

type Row = Record<string, unknown>;

const TOTALS = ['totalCalls', 'totalCallSeconds', 'totalCallCharge'];
const GROUP_BY = ['userId', 'userPrincipalName', 'userDisplayName', 'usageLocation', 'destinationContext', 'currency'];

/**
 * Sums the reports' totalCalls, totalCallSeconds and totalCallCharge per group, in a stable order (user principal
 * name, user id, location, context, currency). A group's other properties are those of its latest report; unknown
 * properties of the reports are kept from that one too.
 */
export function aggregateDialout(reports: readonly Row[]): Row[] {
  const groups = new Map<string, Row>();
  for (const report of reports) {
    const key = JSON.stringify(GROUP_BY.map((name) => report[name] ?? null));
    const sum = groups.get(key);
    if (sum === undefined) {
      groups.set(key, { ...report });
      continue;
    }
    const merged: Row = { ...sum, ...report };
    for (const name of TOTALS) {
      const total = add(sum[name], report[name]);
      if (total !== undefined) merged[name] = name === 'totalCallCharge' ? money(total) : total;
    }
    groups.set(key, merged);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compare(orderKey(groups.get(a)!), orderKey(groups.get(b)!)))
    .map(([, row]) => row);
}

/** The sum of two totals; either alone when the other is not a number; undefined when neither is. */
function add(a: unknown, b: unknown): number | undefined {
  if (typeof a !== 'number') return typeof b === 'number' ? b : undefined;
  return typeof b === 'number' ? a + b : a;
}

/** Sums of charges rounded to 1/10,000 (binary floating point would otherwise show 12.829999999). */
function money(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function orderKey(row: Row): string {
  return ['userPrincipalName', 'userId', 'usageLocation', 'destinationContext', 'currency']
    .map((name) => String(row[name] ?? ''))
    .join('\u0000');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
