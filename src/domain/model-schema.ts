/**
 * The shapes of the entity model (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview) and the shorthand the model tables are written in.
 *
 * Tables use a CSDL shorthand so that each line can be checked against the official metadata at a glance:
 * `'Edm.DateTimeOffset!'` is `Type="Edm.DateTimeOffset" Nullable="false"`, `'Collection(modality)'` is a collection,
 * a bare name such as `modality` lives in `microsoft.graph.callRecords` and `graph.identity` in `microsoft.graph`
 * (the CSDL alias). Trailing words add the two CSDL annotations the service needs: `autoExpand`, `deprecated`.
 */

/** A Microsoft Graph API version served by this application. */
export type ApiVersion = 'v1.0' | 'beta';

/** Every served API version, oldest first. */
export const API_VERSIONS: readonly ApiVersion[] = ['v1.0', 'beta'];

/** The OData namespace of call records. */
export const CALL_RECORDS_NAMESPACE = 'microsoft.graph.callRecords';

/** The OData namespace of the supporting Graph types (CSDL alias `graph`). */
export const GRAPH_NAMESPACE = 'microsoft.graph';

/** An EnumType: non-flags, members in declaration order (their CSDL values are their indexes). */
export interface EnumTypeDef {
  readonly kind: 'enum';
  /** Qualified name, e.g. `microsoft.graph.callRecords.modality`. */
  readonly name: string;
  readonly members: readonly string[];
  readonly versions: readonly ApiVersion[];
}

/** A Property or NavigationProperty as declared on one type (inherited ones are not repeated). */
export interface PropertyDef {
  readonly name: string;
  /** Qualified element type without `Collection(...)`: `Edm.Int64`, `microsoft.graph.callRecords.session`. */
  readonly type: string;
  readonly collection: boolean;
  /** CSDL `Nullable` (absent means true). */
  readonly nullable: boolean;
  readonly navigation: boolean;
  /** `Org.OData.Core.V1.AutoExpand`: returned inline without `$expand` (src/odata/metadata/csdl-callrecords-{v1,beta}.xml). */
  readonly autoExpand: boolean;
  /** `Org.OData.Core.V1.Revisions` Deprecated (src/odata/metadata/csdl-callrecords-{v1,beta}.xml). */
  readonly deprecated: boolean;
}

/** A ComplexType or EntityType. */
export interface StructuredTypeDef {
  readonly kind: 'complex' | 'entity';
  /** Qualified name, e.g. `microsoft.graph.callRecords.clientUserAgent`. */
  readonly name: string;
  /** Qualified base type name, if any. */
  readonly baseType: string | undefined;
  readonly abstract: boolean;
  readonly open: boolean;
  readonly properties: readonly PropertyDef[];
  readonly versions: readonly ApiVersion[];
}

/** Any named type of the model. */
export type TypeDef = EnumTypeDef | StructuredTypeDef;

/** Property declarations in the shorthand described in this file's header: property name → type. */
export type PropertyShorthand = Readonly<Record<string, string>>;

/** The CSDL attributes of a type declaration other than its name and properties. */
export interface TypeOptions {
  readonly base?: string;
  readonly abstract?: boolean;
  readonly open?: boolean;
  readonly navigation?: PropertyShorthand;
  /** Defaults to every API version. */
  readonly versions?: readonly ApiVersion[];
}

const SHORTHAND = /^(?:Collection\((?<element>[\w.]+)\)|(?<single>[\w.]+))(?<notNull>!)?(?<flags>(?: \w+)*)$/;

/** Returns the qualified form of a shorthand type name (`modality`, `graph.identity`, `Edm.String`). */
export function qualify(shortName: string): string {
  if (shortName.startsWith('Edm.') || shortName.startsWith(`${GRAPH_NAMESPACE}.`)) return shortName;
  if (shortName.startsWith('graph.')) return `${GRAPH_NAMESPACE}.${shortName.slice('graph.'.length)}`;
  return `${CALL_RECORDS_NAMESPACE}.${shortName}`;
}

/** Declares an EnumType of the callRecords namespace (or `graph.` for microsoft.graph). */
export function enumType(name: string, members: readonly string[], versions = API_VERSIONS): EnumTypeDef {
  return { kind: 'enum', name: qualify(name), members, versions };
}

/** Declares a ComplexType from the shorthand. */
export function complexType(name: string, properties: PropertyShorthand, options: TypeOptions = {}): StructuredTypeDef {
  return structured('complex', name, properties, options);
}

/** Declares an EntityType from the shorthand. */
export function entityType(name: string, properties: PropertyShorthand, options: TypeOptions = {}): StructuredTypeDef {
  return structured('entity', name, properties, options);
}

function structured(
  kind: 'complex' | 'entity',
  name: string,
  properties: PropertyShorthand,
  options: TypeOptions,
): StructuredTypeDef {
  const declared = Object.entries(properties).map(([n, spec]) => parseProperty(n, spec, false));
  const navigation = Object.entries(options.navigation ?? {}).map(([n, spec]) => parseProperty(n, spec, true));
  return {
    kind,
    name: qualify(name),
    baseType: options.base === undefined ? undefined : qualify(options.base),
    abstract: options.abstract ?? false,
    open: options.open ?? false,
    properties: [...declared, ...navigation],
    versions: options.versions ?? API_VERSIONS,
  };
}

function parseProperty(name: string, spec: string, navigation: boolean): PropertyDef {
  const groups = SHORTHAND.exec(spec)?.groups;
  const type = groups?.element ?? groups?.single;
  if (groups === undefined || type === undefined) throw new Error(`bad property shorthand ${name}: '${spec}'`);
  const flags = new Set(groups.flags?.trim().split(' ').filter(Boolean));
  for (const flag of flags) {
    if (flag !== 'autoExpand' && flag !== 'deprecated') throw new Error(`unknown flag '${flag}' on ${name}`);
  }
  return {
    name,
    type: qualify(type),
    collection: groups.element !== undefined,
    nullable: groups.notNull === undefined,
    navigation,
    autoExpand: flags.has('autoExpand'),
    deprecated: flags.has('deprecated'),
  };
}
