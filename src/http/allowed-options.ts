import { propertyNames } from '../domain/model.js';
import type { AllowedOptions } from '../odata/query-options.js';

function without(names: ReadonlySet<string>, ...drop: string[]): ReadonlySet<string> {
  return new Set([...names].filter((n) => !drop.includes(n)));
}

// Navigation properties are reached with $expand, not $select (spec §10).
const RECORD_SELECT = without(propertyNames('callRecord'), 'sessions', 'participants_v2');
const SESSION_SELECT = without(propertyNames('session'), 'segments');
const PARTICIPANT_SELECT = propertyNames('participant');

/** The query options each Graph resource accepts (spec §10, query-option support matrix). */
export const ALLOWED = {
  records: { filter: true, select: RECORD_SELECT, skipToken: true },
  recordCount: { filter: true },
  record: {
    select: RECORD_SELECT,
    expand: { sessions: { select: SESSION_SELECT, expand: { segments: {} } }, participants_v2: {} },
  },
  sessions: { select: SESSION_SELECT, expand: { segments: {} }, skipToken: true },
  session: { select: SESSION_SELECT, expand: { segments: {} } },
  participants: { select: PARTICIPANT_SELECT, skipToken: true },
  participant: { select: PARTICIPANT_SELECT },
  none: {},
} satisfies Record<string, AllowedOptions>;
