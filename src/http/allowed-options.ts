import { propertyNames } from '../domain/model.js';
import type { AllowedOptions } from '../odata/query-options.js';
import type { ResourcePath } from '../odata/resource-path.js';

function without(names: ReadonlySet<string>, ...drop: string[]): ReadonlySet<string> {
  return new Set([...names].filter((n) => !drop.includes(n)));
}

// Navigation properties are reached with $expand, not $select (https://learn.microsoft.com/graph/api/callrecords-callrecord-get).
const RECORD_SELECT = without(propertyNames('callRecord'), 'sessions', 'participants_v2');
const SESSION_SELECT = without(propertyNames('session'), 'segments');
const PARTICIPANT_SELECT = propertyNames('participant');

/** The query options each Graph resource accepts (the Optional query parameters of each operation page, e.g. https://learn.microsoft.com/graph/api/callrecords-callrecord-get); `$count` takes none. */
const ALLOWED: Record<ResourcePath['kind'], AllowedOptions> = {
  callRecords: { filter: true, select: RECORD_SELECT, skipToken: true },
  callRecord: {
    select: RECORD_SELECT,
    expand: { sessions: { select: SESSION_SELECT, expand: { segments: {} } }, participants_v2: {} },
  },
  sessions: { select: SESSION_SELECT, expand: { segments: {} }, skipToken: true },
  session: { select: SESSION_SELECT, expand: { segments: {} } },
  segments: {},
  segment: {},
  participants: { select: PARTICIPANT_SELECT, skipToken: true },
  participant: { select: PARTICIPANT_SELECT },
  organizer: { select: PARTICIPANT_SELECT },
  function: {},
};

// `$count` of the record list still honours `$filter`; the other counts take no options.
const RECORD_COUNT: AllowedOptions = { filter: true };
const NONE: AllowedOptions = {};

/** The query options a resource path accepts. */
export function allowedOptions(resource: ResourcePath): AllowedOptions {
  if ('count' in resource && resource.count) return resource.kind === 'callRecords' ? RECORD_COUNT : NONE;
  return ALLOWED[resource.kind];
}
