/**
 * End-user identifiable information (EUII) in a callRecord, and how it is removed. The properties come from the
 * callRecords resource types (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview): network
 * addresses (https://learn.microsoft.com/graph/api/resources/callrecords-networkinfo), identities
 * (https://learn.microsoft.com/graph/api/resources/identityset), endpoint names and feedback text. docs/privacy.md
 * lists the same, with what is kept and why.
 *
 * Removing means setting the property to `null`: every one of them is nullable in the CSDL, so a scrubbed record is
 * still a valid callRecord that Graph clients read unchanged. Ids of users are kept (as CQD keeps object ids after
 * its 28 days: they are pseudonymous and needed to count users); ids that are themselves identifying — a phone
 * number, an asserted identity — are removed. `callrecords purge --user` goes further and replaces one user's id.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Network properties removed wherever they appear (networkInfo, traceRouteHop, graph.userIdentity). */
export const NETWORK_EUII = [
  'ipAddress',
  'reflexiveIPAddress',
  'relayIPAddress',
  'macAddress',
  'basicServiceSetIdentifier',
];

/** Identity properties removed in every identity object of an identity set (and `associatedIdentity`). */
export const IDENTITY_EUII = ['displayName', 'userPrincipalName', 'email'];

/** Members of an identity set whose `id` itself identifies a person (a phone number, an asserted caller id). */
export const IDENTIFYING_ID_KINDS = ['phone', 'assertedIdentity'];

/** Members of an identity set that name a service, not a person: their display names are kept. */
export const SERVICE_IDENTITY_KINDS = [
  'application',
  'applicationInstance',
  'acsApplicationInstance',
  'spoolApplicationInstance',
];

/** Keys that hold an identity set (graph.identitySet or communicationsIdentitySet). */
const IDENTITY_SET_KEYS = new Set(['identity', 'organizer', 'participants']);
/** Keys that hold an endpoint, whose `name` is the device (machine) name. */
const ENDPOINT_KEYS = new Set(['caller', 'callee']);

const NETWORK = new Set(NETWORK_EUII);
const SERVICE = new Set(SERVICE_IDENTITY_KINDS);
const IDENTIFYING_ID = new Set(IDENTIFYING_ID_KINDS);

/**
 * Removes the EUII from a callRecord object in place (every nested session, segment, endpoint and participant) and
 * returns it. Idempotent: scrubbing a scrubbed record changes nothing, so a record scrubbed on write and the same
 * record scrubbed in storage serialise alike (and hash alike).
 */
export function scrubEuii<T extends object>(record: T): T {
  walk(record as unknown as Json, undefined);
  return record;
}

function walk(value: Json, key: string | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, key);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const name of Object.keys(value)) {
    if (NETWORK.has(name)) nullify(value, name);
  }
  if (key !== undefined && IDENTITY_SET_KEYS.has(key)) scrubIdentitySet(value);
  if (key === 'associatedIdentity') scrubIdentity(value, false);
  if (key !== undefined && ENDPOINT_KEYS.has(key)) nullify(value, 'name');
  if (key === 'feedback') nullify(value, 'text');
  for (const [name, child] of Object.entries(value)) {
    if (child !== null && typeof child === 'object') walk(child, name);
  }
}

function scrubIdentitySet(set: JsonObject): void {
  for (const [kind, identity] of Object.entries(set)) {
    if (identity === null || typeof identity !== 'object' || Array.isArray(identity)) continue;
    if (SERVICE.has(kind)) continue;
    scrubIdentity(identity, IDENTIFYING_ID.has(kind));
  }
}

function scrubIdentity(identity: JsonObject, idIdentifies: boolean): void {
  for (const name of IDENTITY_EUII) nullify(identity, name);
  if (idIdentifies) nullify(identity, 'id');
}

function nullify(object: JsonObject, name: string): void {
  if (object[name] !== undefined && object[name] !== null) object[name] = null;
}

/**
 * Replaces every string equal to `id` anywhere in the record with `pseudonym` (participant ids, identity ids), in
 * place: what `callrecords purge --user` does beside the scrub, so the person's id no longer links the records.
 */
export function replaceId<T extends object>(record: T, id: string, pseudonym: string): T {
  replaceIn(record as unknown as Json, id, pseudonym);
  return record;
}

function replaceIn(value: Json, id: string, pseudonym: string): void {
  if (value === null || typeof value !== 'object') return;
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, child] of entries) {
    if (child === id) (value as Record<string | number, Json>)[k] = pseudonym;
    else replaceIn(child, id, pseudonym);
  }
}
