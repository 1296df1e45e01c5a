/**
 * The entity model of `microsoft.graph.callRecords` for v1.0 and beta (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview), with lookups precomputed once
 * at module load. The tables live in model-enums.ts, model-call-record-types.ts, model-log-row-types.ts and
 * model-graph-types.ts; test/domain-model.test.ts keeps them equal to the official CSDL.
 */
import { CALL_RECORD_TYPES } from './model-call-record-types.js';
import { ENUM_TYPES } from './model-enums.js';
import { GRAPH_TYPES } from './model-graph-types.js';
import { LOG_ROW_TYPES } from './model-log-row-types.js';
import { CALL_RECORDS_NAMESPACE, GRAPH_NAMESPACE } from './model-schema.js';
import type { ApiVersion, EnumTypeDef, PropertyDef, StructuredTypeDef, TypeDef } from './model-schema.js';

export { API_VERSIONS, CALL_RECORDS_NAMESPACE, GRAPH_NAMESPACE } from './model-schema.js';
export type { ApiVersion, EnumTypeDef, PropertyDef, StructuredTypeDef, TypeDef } from './model-schema.js';

/** Every type declaration of the model, all versions (a name can appear once per version). */
export const TYPE_DEFINITIONS: readonly TypeDef[] = [
  ...ENUM_TYPES,
  ...GRAPH_TYPES,
  ...CALL_RECORD_TYPES,
  ...LOG_ROW_TYPES,
];

/** The EDM primitive types a property of the model may have. */
export const EDM_PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'Edm.Boolean',
  'Edm.DateTimeOffset',
  'Edm.Decimal',
  'Edm.Double',
  'Edm.Duration',
  'Edm.Guid',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Single',
  'Edm.String',
]);

/** Where the OData enum convention puts evolvable members: after this sentinel (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations). */
export const ENUM_SENTINEL = 'unknownFutureValue';

/**
 * Evolvable enum members by enum name without namespace: members declared after `unknownFutureValue`, which are sent
 * as `unknownFutureValue` unless the request has `Prefer: include-unknown-enum-members` (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations). In this namespace
 * only `{ productFamily: ['azureCommunicationServices'] }`.
 */
export const EVOLVABLE_ENUM_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(
    ENUM_TYPES.filter((e) => evolvableMembers(e).length > 0).map((e) => [localName(e.name), evolvableMembers(e)]),
  ),
);

/**
 * Evolvable enum members by the name of the JSON property that can carry them, over every type of the model:
 * `{ productFamily: ['azureCommunicationServices'] }` (clientUserAgent.productFamily).
 */
export const EVOLVABLE_ENUM_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(
    TYPE_DEFINITIONS.flatMap((t) => (t.kind === 'enum' ? [] : t.properties))
      .map((p): [string, readonly string[]] => {
        const type = ENUM_TYPES.find((e) => e.name === p.type);
        return [p.name, type === undefined ? [] : evolvableMembers(type)];
      })
      .filter(([, members]) => members.length > 0),
  ),
);

interface Schema {
  readonly types: ReadonlyMap<string, TypeDef>;
  readonly properties: ReadonlyMap<string, ReadonlyMap<string, PropertyDef>>;
  readonly propertyNames: ReadonlyMap<string, ReadonlySet<string>>;
  readonly derived: ReadonlyMap<string, readonly StructuredTypeDef[]>;
}

// Built at import: a broken table (unknown type, duplicate name) fails at start-up, not at the first request.
const SCHEMAS: Readonly<Record<ApiVersion, Schema>> = { 'v1.0': buildSchema('v1.0'), beta: buildSchema('beta') };

/**
 * Returns the qualified name of a type: qualified names are returned as they are, `graph.x` means
 * `microsoft.graph.x`, and a bare name is looked up in `microsoft.graph.callRecords` first, then `microsoft.graph`.
 */
export function resolveTypeName(name: string, version: ApiVersion = 'v1.0'): string {
  if (name.startsWith(`${GRAPH_NAMESPACE}.`)) return name;
  if (name.startsWith('graph.')) return `${GRAPH_NAMESPACE}.${name.slice('graph.'.length)}`;
  const inCallRecords = `${CALL_RECORDS_NAMESPACE}.${name}`;
  return SCHEMAS[version].types.has(inCallRecords) ? inCallRecords : `${GRAPH_NAMESPACE}.${name}`;
}

/** Returns the short display form of a qualified type name: `callRecords.modality`, `graph.identitySet`. */
export function shortTypeName(qualifiedName: string): string {
  if (qualifiedName.startsWith(`${CALL_RECORDS_NAMESPACE}.`)) return qualifiedName.slice(GRAPH_NAMESPACE.length + 1);
  if (qualifiedName.startsWith(`${GRAPH_NAMESPACE}.`))
    return `graph.${qualifiedName.slice(GRAPH_NAMESPACE.length + 1)}`;
  return qualifiedName;
}

/** Returns the declaration of a type in one API version, or undefined when the version has no such type. */
export function findType(name: string, version: ApiVersion = 'v1.0'): TypeDef | undefined {
  return SCHEMAS[version].types.get(resolveTypeName(name, version));
}

/** Returns the declaration of a complex or entity type; throws when the version has no such type. */
export function getStructuredType(name: string, version: ApiVersion = 'v1.0'): StructuredTypeDef {
  const type = findType(name, version);
  if (type === undefined || type.kind === 'enum') throw new Error(`no complex or entity type '${name}' in ${version}`);
  return type;
}

/** Returns every property of a structured type, inherited ones first, navigation properties included. */
export function allProperties(typeName: string, version: ApiVersion = 'v1.0'): ReadonlyMap<string, PropertyDef> {
  return lookup(SCHEMAS[version].properties, typeName, version);
}

/**
 * Returns the names of every property of a structured type (inherited and navigation properties included), as
 * `$select` may name them: for `callRecord`, id, version, type, … organizer_v2, participants_v2, sessions.
 */
export function propertyNames(typeName: string, version: ApiVersion = 'v1.0'): ReadonlySet<string> {
  return lookup(SCHEMAS[version].propertyNames, typeName, version);
}

/** Returns a structured type followed by every type that derives from it, directly or not, in one version. */
export function derivedTypes(typeName: string, version: ApiVersion = 'v1.0'): readonly StructuredTypeDef[] {
  return lookup(SCHEMAS[version].derived, typeName, version);
}

/** Returns the evolvable members of an enum (declared after `unknownFutureValue`, https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations); usually none. */
export function evolvableMembers(enumType: EnumTypeDef): readonly string[] {
  const sentinel = enumType.members.indexOf(ENUM_SENTINEL);
  return sentinel < 0 ? [] : enumType.members.slice(sentinel + 1);
}

function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}

function lookup<T>(map: ReadonlyMap<string, T>, typeName: string, version: ApiVersion): T {
  const found = map.get(resolveTypeName(typeName, version));
  if (found === undefined) throw new Error(`no complex or entity type '${typeName}' in ${version}`);
  return found;
}

function buildSchema(version: ApiVersion): Schema {
  const types = new Map<string, TypeDef>();
  for (const def of TYPE_DEFINITIONS) {
    if (!def.versions.includes(version)) continue;
    if (types.has(def.name)) throw new Error(`${def.name} is declared twice for ${version}`);
    types.set(def.name, def);
  }
  const structured = [...types.values()].filter((t): t is StructuredTypeDef => t.kind !== 'enum');
  const chain = (type: StructuredTypeDef): StructuredTypeDef[] => {
    if (type.baseType === undefined) return [type];
    const base = types.get(type.baseType);
    if (base === undefined || base.kind === 'enum') throw new Error(`${type.name}: unknown base ${type.baseType}`);
    return [...chain(base), type];
  };
  const properties = new Map<string, ReadonlyMap<string, PropertyDef>>();
  const derived = new Map<string, StructuredTypeDef[]>(structured.map((t) => [t.name, []]));
  for (const type of structured) {
    const ancestry = chain(type);
    const props = new Map(ancestry.flatMap((t) => t.properties.map((p): [string, PropertyDef] => [p.name, p])));
    for (const p of props.values()) {
      if (!EDM_PRIMITIVE_TYPES.has(p.type) && !types.has(p.type))
        throw new Error(`${type.name}.${p.name}: unknown type ${p.type}`);
    }
    properties.set(type.name, props);
    for (const ancestor of ancestry) derived.get(ancestor.name)?.push(type);
  }
  // Each list holds the type and its descendants in table order; put the type itself first.
  for (const [name, list] of derived) list.sort((a, b) => Number(b.name === name) - Number(a.name === name));
  const propertyNames = new Map(
    [...properties].map(([name, props]): [string, ReadonlySet<string>] => [name, new Set(props.keys())]),
  );
  return { types, properties, propertyNames, derived };
}
