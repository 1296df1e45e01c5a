/**
 * Graph's awkward behaviour that the simulator can switch on, each on its own (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview,
 * https://learn.microsoft.com/graph/throttling, https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
 */
export const FAULT_NAMES = ['404', '429', '503', 'drop', 'updated', 'reauth'] as const;

/** One switchable fault. */
export type FaultName = (typeof FAULT_NAMES)[number];

/** Which faults are on. */
export type Faults = Readonly<Record<FaultName, boolean>>;

/** What each fault does, for `--help` and the README. */
export const FAULT_HELP: Record<FaultName, string> = {
  '404': 'a record appears 15–60 minutes after its call ends; before that it is missing from lists and 404',
  '429': '429 with Retry-After past 1,500 requests / 20 s per app, 40 / 20 s per record, 40 / 20 s for the list',
  '503': 'a share (--fault-rate) of Graph requests answered 503 with Retry-After',
  drop: 'a share (--fault-rate) of change notifications never sent (only a sweep finds those records)',
  updated: 'records come in several versions, later ones with a higher version and an `updated` notification',
  reauth: 'a `reauthorizationRequired` lifecycle event for every subscription now and then',
};

/**
 * Reads `all`, `none` or a comma-separated list of fault names; throws a RangeError naming an unknown one.
 */
export function parseFaults(text: string): Faults {
  const value = text.trim().toLowerCase();
  const on = new Set<string>(value === 'all' ? FAULT_NAMES : value === 'none' || value === '' ? [] : value.split(','));
  for (const name of on) {
    if (!(FAULT_NAMES as readonly string[]).includes(name.trim())) {
      throw new RangeError(`unknown fault '${name}': use all, none or some of ${FAULT_NAMES.join(',')}`);
    }
  }
  const trimmed = new Set([...on].map((n) => n.trim()));
  return Object.fromEntries(FAULT_NAMES.map((n) => [n, trimmed.has(n)])) as Faults;
}

/** Every fault off. */
export const NO_FAULTS: Faults = parseFaults('none');
