import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  API_VERSIONS,
  EVOLVABLE_ENUM_MEMBERS,
  EVOLVABLE_ENUM_PROPERTIES,
  TYPE_DEFINITIONS,
  derivedTypes,
  findType,
  propertyNames,
  resolveTypeName,
} from '../src/domain/model.js';
import type { ApiVersion, StructuredTypeDef } from '../src/domain/model.js';

// The official metadata extracts (src/odata/metadata/csdl-callrecords-{v1,beta}.xml, copied from
// microsoftgraph/msgraph-metadata) are read with a few regexes: the files are machine-generated with one element per
// line and double-quoted attributes.
const METADATA = new URL('../src/odata/metadata/', import.meta.url);
const CSDL_FILES: Record<ApiVersion, string> = { 'v1.0': 'csdl-callrecords-v1.xml', beta: 'csdl-callrecords-beta.xml' };
const NS = 'microsoft.graph.callRecords';

interface TypeShape {
  kind: string;
  baseType: string | undefined;
  abstract: boolean;
  open: boolean;
  properties: string[];
}

interface Csdl {
  enums: Map<string, string[]>;
  types: Map<string, TypeShape>;
  annotated: Map<string, string[]>;
}

function attributes(text: string): Map<string, string> {
  return new Map([...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function qualifyCsdl(type: string): string {
  return type.replace(/^(Collection\()?graph\./, '$1microsoft.graph.');
}

function parseCsdl(version: ApiVersion): Csdl {
  const xml = readFileSync(new URL(CSDL_FILES[version], METADATA), 'utf8');
  const schema = /<Schema Namespace="microsoft\.graph\.callRecords"[^>]*>([\s\S]*?)<\/Schema>/.exec(xml)?.[1] ?? '';
  const enums = new Map<string, string[]>();
  for (const [, name = '', body = ''] of schema.matchAll(/<EnumType Name="(\w+)"[^>]*>([\s\S]*?)<\/EnumType>/g)) {
    const members = [...body.matchAll(/<Member Name="(\w+)" Value="(\d+)" \/>/g)];
    members.forEach((m, index) => assert.equal(Number(m[2]), index, `${name}.${m[1]} value`));
    enums.set(
      `${NS}.${name}`,
      members.map((m) => m[1] ?? ''),
    );
  }
  const types = new Map<string, TypeShape>();
  const typePattern = /<(ComplexType|EntityType) ([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/g;
  for (const [, kind = '', attrText = '', body = ''] of schema.matchAll(typePattern)) {
    const attrs = attributes(attrText);
    const properties = [...body.matchAll(/<(Property|NavigationProperty) ([^>]*?)\/>/g)].map(([, element, text]) => {
      const a = attributes(text ?? '');
      const nullable = a.get('Nullable') !== 'false';
      return `${element === 'NavigationProperty' ? 'nav ' : ''}${a.get('Name')}: ${qualifyCsdl(a.get('Type') ?? '')}${nullable ? '' : ' not null'}`;
    });
    const base = attrs.get('BaseType');
    types.set(`${NS}.${attrs.get('Name')}`, {
      kind: kind === 'EntityType' ? 'entity' : 'complex',
      baseType: base === undefined ? undefined : qualifyCsdl(base),
      abstract: attrs.get('Abstract') === 'true',
      open: attrs.get('OpenType') === 'true',
      properties,
    });
  }
  const annotated = new Map<string, string[]>();
  for (const [, target = '', body = ''] of xml.matchAll(/<Annotations Target="([\w./]+)">([\s\S]*?)<\/Annotations>/g)) {
    const flags = [];
    if (body.includes('Org.OData.Core.V1.AutoExpand" Bool="true"')) flags.push('autoExpand');
    if (body.includes('RevisionKind/Deprecated')) flags.push('deprecated');
    annotated.set(target, flags);
  }
  return { enums, types, annotated };
}

function shapeOf(type: StructuredTypeDef): TypeShape {
  return {
    kind: type.kind,
    baseType: type.baseType,
    abstract: type.abstract,
    open: type.open,
    properties: type.properties.map((p) => {
      const edm = p.collection ? `Collection(${p.type})` : p.type;
      return `${p.navigation ? 'nav ' : ''}${p.name}: ${edm}${p.nullable ? '' : ' not null'}`;
    }),
  };
}

function modelTypes(version: ApiVersion): { enums: Map<string, string[]>; types: Map<string, TypeShape> } {
  const inVersion = TYPE_DEFINITIONS.filter((t) => t.versions.includes(version) && t.name.startsWith(`${NS}.`));
  const enums = new Map<string, string[]>();
  const types = new Map<string, TypeShape>();
  for (const t of inVersion) {
    if (t.kind === 'enum') enums.set(t.name, [...t.members]);
    else types.set(t.name, shapeOf(t));
  }
  return { enums, types };
}

for (const version of API_VERSIONS) {
  test(`${version}: every callRecords EnumType matches the CSDL, members in order`, () => {
    const csdl = parseCsdl(version);
    const model = modelTypes(version);
    assert.ok(csdl.enums.size >= 15, 'the CSDL parse found the enums');
    assert.deepEqual([...model.enums.keys()].sort(), [...csdl.enums.keys()].sort());
    for (const [name, members] of csdl.enums) assert.deepEqual(model.enums.get(name), members, name);
  });

  test(`${version}: every callRecords ComplexType/EntityType matches the CSDL (base, flags, properties)`, () => {
    const csdl = parseCsdl(version);
    const model = modelTypes(version);
    assert.ok(csdl.types.size >= 24, 'the CSDL parse found the types');
    assert.deepEqual([...model.types.keys()].sort(), [...csdl.types.keys()].sort());
    for (const [name, shape] of csdl.types) assert.deepEqual(model.types.get(name), shape, name);
  });

  test(`${version}: AutoExpand and Deprecated annotations match the CSDL`, () => {
    const csdl = parseCsdl(version);
    const fromModel = new Map<string, string[]>();
    for (const t of TYPE_DEFINITIONS) {
      if (t.kind === 'enum' || !t.versions.includes(version)) continue;
      for (const p of t.properties) {
        const flags = [...(p.autoExpand ? ['autoExpand'] : []), ...(p.deprecated ? ['deprecated'] : [])];
        if (flags.length > 0) fromModel.set(`${t.name}/${p.name}`, flags);
      }
    }
    assert.deepEqual(fromModel, csdl.annotated);
  });
}

// graph.endpointType is outside the callRecords extracts; its members, in value order, as the
// communicationsIdentitySet page lists them: https://learn.microsoft.com/en-us/graph/api/resources/communicationsidentityset
test('graph.endpointType matches the documented members', () => {
  const members = ['default', 'voicemail', 'skypeForBusiness', 'skypeForBusinessVoipPhone', 'unknownFutureValue'];
  const model = findType('graph.endpointType');
  assert.equal(model?.kind, 'enum');
  assert.deepEqual(model.kind === 'enum' ? model.members : [], members);
});

test('beta-only types exist in beta and not in v1.0', () => {
  const betaOnly = TYPE_DEFINITIONS.filter((t) => !t.versions.includes('v1.0')).map((t) =>
    t.name.replace(`${NS}.`, ''),
  );
  const expected = ['callLogRow', 'smsLogRow', 'pstnBlockedUsersLogRow', 'pstnOnlineMeetingDialoutReport'];
  assert.deepEqual(
    betaOnly.filter((n) => n !== 'directRoutingLogRow' && n !== 'pstnCallLogRow').sort(),
    [...expected, 'pstnUserBlockMode'].sort(),
  );
  for (const name of [...expected, 'pstnUserBlockMode']) {
    assert.equal(findType(name, 'v1.0'), undefined, name);
    assert.ok(findType(name, 'beta'), name);
  }
});

test('propertyNames lists declared, inherited and navigation properties', () => {
  const cases: { name: string; input: [string, ApiVersion?]; expected: string[] }[] = [
    {
      name: 'callRecord',
      input: ['callRecord'],
      expected: [
        'id',
        'version',
        'type',
        'modalities',
        'lastModifiedDateTime',
        'startDateTime',
        'endDateTime',
        'joinWebUrl',
        'organizer',
        'participants',
        'organizer_v2',
        'participants_v2',
        'sessions',
      ],
    },
    {
      name: 'session',
      input: ['session'],
      expected: [
        'id',
        'caller',
        'callee',
        'failureInfo',
        'isTest',
        'modalities',
        'startDateTime',
        'endDateTime',
        'segments',
      ],
    },
    {
      name: 'participant (from participantBase and entity)',
      input: ['participant'],
      expected: ['id', 'administrativeUnitInfos', 'identity'],
    },
    {
      name: 'clientUserAgent',
      input: ['clientUserAgent'],
      expected: [
        'applicationVersion',
        'headerValue',
        'azureADAppId',
        'communicationServiceId',
        'platform',
        'productFamily',
      ],
    },
    { name: 'graph.identitySet by bare name', input: ['identitySet'], expected: ['application', 'device', 'user'] },
  ];
  for (const { name, input, expected } of cases) {
    assert.deepEqual([...propertyNames(...input)].sort(), [...expected].sort(), name);
  }
  assert.equal(propertyNames('directRoutingLogRow', 'v1.0').size, 21);
  assert.equal(propertyNames('directRoutingLogRow', 'beta').size, 25);
  assert.ok(propertyNames('pstnCallLogRow', 'beta').has('administrativeUnitInfos'), 'beta inherits from callLogRow');
  assert.ok(!propertyNames('pstnCallLogRow', 'v1.0').has('administrativeUnitInfos'), 'v1.0 has no callLogRow');
  assert.throws(() => propertyNames('noSuchType'), /noSuchType/);
});

test('type names resolve in callRecords first, then microsoft.graph', () => {
  assert.equal(resolveTypeName('userIdentity'), 'microsoft.graph.callRecords.userIdentity');
  assert.equal(resolveTypeName('graph.userIdentity'), 'microsoft.graph.userIdentity');
  assert.equal(resolveTypeName('communicationsIdentitySet'), 'microsoft.graph.communicationsIdentitySet');
  assert.deepEqual(
    derivedTypes('userAgent').map((t) => t.name),
    [`${NS}.userAgent`, `${NS}.clientUserAgent`, `${NS}.serviceUserAgent`],
  );
  assert.deepEqual(
    derivedTypes('callLogRow', 'beta').map((t) => t.name.replace(`${NS}.`, '')),
    ['callLogRow', 'directRoutingLogRow', 'pstnCallLogRow', 'smsLogRow'],
  );
});

test('every property type of every version resolves to a primitive or a type of the model', () => {
  for (const version of API_VERSIONS) {
    for (const t of TYPE_DEFINITIONS) {
      if (t.kind === 'enum' || !t.versions.includes(version)) continue;
      for (const p of t.properties) {
        assert.ok(p.type.startsWith('Edm.') || findType(p.type, version), `${version} ${t.name}.${p.name}`);
      }
    }
  }
});

test('evolvable enum members are exactly productFamily.azureCommunicationServices', () => {
  assert.deepEqual(EVOLVABLE_ENUM_MEMBERS, { productFamily: ['azureCommunicationServices'] });
  assert.deepEqual(EVOLVABLE_ENUM_PROPERTIES, { productFamily: ['azureCommunicationServices'] });
  assert.ok(Object.isFrozen(EVOLVABLE_ENUM_MEMBERS), 'a constant');
});
