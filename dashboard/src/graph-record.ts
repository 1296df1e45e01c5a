import type { ApiClient } from './api.js';

/**
 * A call record as Graph answers it (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord): only
 * the members the call detail reads are typed; the raw JSON is shown whole.
 */
export interface Identity {
  id?: string | null;
  displayName?: string | null;
}

export interface IdentitySet {
  user?: Identity | null;
  phone?: Identity | null;
  application?: Identity | null;
  device?: Identity | null;
  [kind: string]: unknown;
}

export interface Endpoint {
  '@odata.type'?: string;
  associatedIdentity?: Identity | null;
  identity?: IdentitySet | null;
  userAgent?: { '@odata.type'?: string; platform?: string; productFamily?: string; role?: string } | null;
  feedback?: { rating?: string; text?: string | null; tokens?: Record<string, unknown> | null } | null;
}

export interface FailureInfo {
  stage?: string;
  reason?: string;
}

export interface Segment {
  id: string;
  startDateTime: string;
  endDateTime: string;
  caller?: Endpoint | null;
  callee?: Endpoint | null;
  failureInfo?: FailureInfo | null;
  media?: { label?: string }[];
}

export interface Session {
  id: string;
  modalities?: string[];
  startDateTime: string;
  endDateTime: string;
  caller?: Endpoint | null;
  callee?: Endpoint | null;
  failureInfo?: FailureInfo | null;
  isTest?: boolean;
  segments?: Segment[];
}

export interface CallRecord {
  id: string;
  version: number;
  type: string;
  modalities?: string[];
  lastModifiedDateTime?: string;
  startDateTime: string;
  endDateTime: string;
  joinWebUrl?: string | null;
  organizer?: IdentitySet | null;
  organizer_v2?: { id?: string; identity?: IdentitySet | null } | null;
  participants?: IdentitySet[];
  participants_v2?: { id?: string; identity?: IdentitySet | null }[];
  sessions: Session[];
  [member: string]: unknown;
}

/** The path and query of a link the server made (absolute, on `--public-url`): the browser asks its own origin. */
export function localPath(link: string): string {
  const url = new URL(link, location.href);
  return url.pathname + url.search;
}

/** How many pages of sessions are followed at most: 60 a page, so 20,000 sessions, far above any real meeting. */
const MAX_PAGES = 334;

/**
 * Reads a record with its sessions and their segments, following `sessions@odata.nextLink` until every session is
 * loaded: Graph answers at most 60 sessions with the record
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-get, "sessions@odata.nextLink"), and so does this
 * server (docs/api.md). The answer has every session in `sessions` and no next link.
 */
export async function loadCallRecord(api: ApiClient, id: string, signal?: AbortSignal): Promise<CallRecord> {
  const base = `/v1.0/communications/callRecords/${encodeURIComponent(id)}`;
  const record = await api.json<CallRecord>(`${base}?$expand=sessions($expand=segments)`, signal);
  const sessions = [...(record.sessions ?? [])];
  let next = record['sessions@odata.nextLink'];
  for (let pages = 0; typeof next === 'string' && pages < MAX_PAGES; pages++) {
    // The person has left the page: the remaining pages of a large meeting are not asked for.
    signal?.throwIfAborted();
    const page = await api.json<{ value: Session[]; '@odata.nextLink'?: string }>(localPath(next), signal);
    sessions.push(...page.value);
    next = page['@odata.nextLink'];
  }
  delete record['sessions@odata.nextLink'];
  record.sessions = sessions;
  return record;
}

/** The person or thing an endpoint is: a user's name, else an application, phone or device, else its kind. */
export function endpointName(endpoint: Endpoint | null | undefined): string {
  if (endpoint === null || endpoint === undefined) return 'unknown';
  const associated = endpoint.associatedIdentity?.displayName;
  if (associated) return associated;
  const identity = endpoint.identity ?? {};
  for (const kind of ['user', 'guest', 'phone', 'application', 'applicationInstance', 'device', 'encrypted']) {
    const who = identity[kind] as Identity | null | undefined;
    if (who?.displayName) return who.displayName;
    if (who?.id) return `${kind} ${who.id}`;
  }
  return endpoint['@odata.type']?.endsWith('serviceEndpoint') ? 'Teams service' : 'unknown';
}

/** An identity set's name, for the summary's organizer and participants. */
export function identityName(identity: IdentitySet | null | undefined): string {
  return endpointName({ identity });
}
