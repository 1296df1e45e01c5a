/**
 * Validation plans: the entity model compiled once, at module load, into per-type lookup maps and per-property
 * checks, so that validating a record allocates nothing per type and never walks base-type chains.
 */
import { isDateTimeOffset, isDuration } from './datetime.js';
import { allProperties, derivedTypes, evolvableMembers, findType, getStructuredType, shortTypeName } from './model.js';
import type { PropertyDef, StructuredTypeDef } from './model.js';

/** Checks one non-null value; returns the rule it breaks, or undefined when it is fine. */
export type ValueCheck = (value: unknown) => string | undefined;

/** How one non-null value (a single value or one collection item) is checked. */
export type ValuePlan =
  | { readonly kind: 'primitive'; readonly check: ValueCheck }
  | {
      readonly kind: 'enum';
      readonly display: string;
      readonly members: ReadonlySet<string>;
      readonly evolvable: ReadonlySet<string>;
    }
  | { readonly kind: 'structured'; readonly type: TypePlan };

/** How one declared property is checked. */
export interface PropertyPlan {
  readonly collection: boolean;
  readonly nullable: boolean;
  readonly value: ValuePlan;
}

/** A value of a derived type recognised by the properties only that type declares. */
export interface InferenceCandidate {
  readonly keys: readonly string[];
  readonly type: TypePlan;
}

/** How a value declared with one complex or entity type is checked. */
export interface TypePlan {
  /** The `@odata.type` value naming this type: `#microsoft.graph.callRecords.clientUserAgent`. */
  readonly odataType: string;
  readonly display: string;
  readonly abstract: boolean;
  readonly properties: ReadonlyMap<string, PropertyPlan>;
  /** Properties that must be present and not null (Nullable="false" properties of entity types). */
  readonly required: readonly string[];
  /** Accepted `@odata.type` values where this type is declared (itself and its concrete derived types). */
  readonly accepts: ReadonlyMap<string, TypePlan>;
  readonly acceptsList: string;
  /** Set only where a missing `@odata.type` is inferred (userAgent, endpoint). */
  readonly inference: readonly InferenceCandidate[] | undefined;
  /** Dynamic properties of open identity sets hold identities: objects or null. */
  readonly dynamicObjects: boolean;
}

/**
 * The longest id of a record, session, segment or participant, in UTF-16 code units (docs/api.md). Graph's ids are
 * GUIDs (36 characters); 256 keeps the widest index entry (participant id, start key, record id: at most 3 UTF-8 bytes
 * per code unit) under PostgreSQL's limit of 2,704 bytes.
 */
export const MAX_ID_LENGTH = 256;

/** The annotation naming the type of a value; the only `@` key a stored record keeps. */
export const ODATA_TYPE = '@odata.type';

// A userAgent is abstract and an endpoint's subtype matters to readers, so both get an inferred @odata.type.
const INFERRED = new Set(['microsoft.graph.callRecords.userAgent', 'microsoft.graph.callRecords.endpoint']);
const CALL_RECORD = 'microsoft.graph.callRecords.callRecord';
const IDENTITY_SET = 'microsoft.graph.identitySet';
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
// ±2^63: a double at or past it is outside Edm.Int64 (and PostgreSQL's bigint).
const INT64_BOUND = 2 ** 63;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// OData JSON: Edm.Single/Double/Decimal special values are strings (OData JSON Format §7.1).
const SPECIAL_NUMBERS = new Set(['NaN', 'INF', '-INF']);

const floating: ValueCheck = (v) =>
  (typeof v === 'number' && Number.isFinite(v)) || SPECIAL_NUMBERS.has(v as string) ? undefined : 'expected a number';

function int32(v: unknown): string | undefined {
  if (!Number.isInteger(v)) return 'expected an integer';
  return (v as number) < INT32_MIN || (v as number) > INT32_MAX ? 'out of range for Edm.Int32' : undefined;
}

const PRIMITIVE_CHECKS: Readonly<Record<string, ValueCheck>> = {
  'Edm.String': (v) => (typeof v === 'string' ? undefined : 'expected a string'),
  'Edm.Boolean': (v) => (typeof v === 'boolean' ? undefined : 'expected a boolean'),
  'Edm.Int32': int32,
  'Edm.Int64': (v) => {
    if (!Number.isInteger(v)) return 'expected an integer';
    return (v as number) >= INT64_BOUND || (v as number) < -INT64_BOUND ? 'out of range for Edm.Int64' : undefined;
  },
  'Edm.Single': floating,
  'Edm.Double': floating,
  'Edm.Decimal': floating,
  'Edm.DateTimeOffset': (v) =>
    typeof v === 'string' && isDateTimeOffset(v)
      ? undefined
      : 'not an ISO-8601 date-time with offset (Edm.DateTimeOffset)',
  'Edm.Duration': (v) => (typeof v === 'string' && isDuration(v) ? undefined : 'not an ISO-8601 duration'),
  'Edm.Guid': (v) => (typeof v === 'string' && GUID.test(v) ? undefined : 'not a GUID (Edm.Guid)'),
};

// Rules beyond the EDM type: keys address `sessions/{id}` and friends, and version counts up from 0
// (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord). Ids are index keys: PostgreSQL refuses an
// index entry over 2,704 bytes, so an id is capped well below that.
const entityId: ValueCheck = (v) => {
  if (v === '') return 'must not be empty';
  return (v as string).length > MAX_ID_LENGTH ? `longer than ${MAX_ID_LENGTH} characters` : undefined;
};
const nonNegative: ValueCheck = (v) => ((v as number) < 0 ? 'must not be negative' : undefined);

type MutablePlan = { -readonly [K in keyof TypePlan]: TypePlan[K] } & {
  properties: Map<string, PropertyPlan>;
  accepts: Map<string, TypePlan>;
};

const plans = new Map<string, MutablePlan>();

/** The plan of `microsoft.graph.callRecords.callRecord` and, through it, of every type a record can contain. */
export const CALL_RECORD_PLAN: TypePlan = planFor(CALL_RECORD);

function planFor(typeName: string): MutablePlan {
  const existing = plans.get(typeName);
  if (existing !== undefined) return existing;
  // Call-record types are identical in v1.0 and beta (src/odata/metadata/csdl-callrecords-{v1,beta}.xml), so one plan serves both.
  const def = getStructuredType(typeName);
  const plan: MutablePlan = {
    odataType: `#${def.name}`,
    display: shortTypeName(def.name),
    abstract: def.abstract,
    properties: new Map(),
    required: [],
    accepts: new Map(),
    acceptsList: '',
    inference: undefined,
    dynamicObjects: def.open && derivedTypes(IDENTITY_SET).some((t) => t.name === def.name),
  };
  plans.set(typeName, plan); // registered before recursing, so that cycles would resolve
  const props = allProperties(typeName);
  for (const prop of props.values()) plan.properties.set(prop.name, propertyPlan(def, prop));
  if (def.kind === 'entity') plan.required = [...props.values()].filter((p) => !p.nullable).map((p) => p.name);
  const concrete = derivedTypes(typeName).filter((t) => !t.abstract);
  for (const t of concrete) plan.accepts.set(`#${t.name}`, t.name === typeName ? plan : planFor(t.name));
  plan.acceptsList = [...plan.accepts.keys()].join(', ');
  if (INFERRED.has(typeName)) {
    plan.inference = concrete
      .filter((t) => t.name !== typeName)
      .map((t) => ({ keys: [...allProperties(t.name).keys()].filter((k) => !props.has(k)), type: planFor(t.name) }))
      .filter((c) => c.keys.length > 0);
  }
  return plan;
}

function propertyPlan(owner: StructuredTypeDef, prop: PropertyDef): PropertyPlan {
  let value: ValuePlan;
  const primitive = PRIMITIVE_CHECKS[prop.type];
  const target = findType(prop.type);
  if (primitive !== undefined) {
    const extra = extraRule(owner, prop);
    value = { kind: 'primitive', check: extra === undefined ? primitive : (v) => primitive(v) ?? extra(v) };
  } else if (target?.kind === 'enum') {
    const evolvable = new Set(evolvableMembers(target));
    value = { kind: 'enum', display: shortTypeName(target.name), members: new Set(target.members), evolvable };
  } else if (target !== undefined) {
    value = { kind: 'structured', type: planFor(target.name) };
  } else {
    throw new Error(`${owner.name}.${prop.name}: no check for type ${prop.type}`);
  }
  return { collection: prop.collection, nullable: prop.nullable, value };
}

function extraRule(owner: StructuredTypeDef, prop: PropertyDef): ValueCheck | undefined {
  if (owner.kind === 'entity' && prop.name === 'id') return entityId;
  if (owner.name === CALL_RECORD && prop.name === 'version') return nonNegative;
  return undefined;
}
