import type { GraphClient, GraphObject } from './graph-client.js';
import { GraphRequestError } from './graph-client.js';

/** What fetching one record came to: the whole record, or `notFound` (not ready yet, or gone). */
export type FetchOutcome = { found: true; record: GraphObject; requests: number } | { found: false; requests: number };

/** The most pages of one collection followed for one record (Graph's largest meetings stay far below). */
const MAX_PAGES = 1000;

/**
 * Fetches one call record whole: `GET /communications/callRecords/{id}?$expand=sessions($expand=segments)`
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-get), every `sessions@odata.nextLink` of the record
 * and `@odata.nextLink` of the pages it leads to (60 sessions a page), then
 * `GET /communications/callRecords/{id}/participants_v2` and each of its `@odata.nextLink` (130 a page;
 * https://learn.microsoft.com/graph/api/callrecords-callrecord-list-participants_v2). The record comes back with
 * all its sessions and participants and no next links, as an import would carry it. Every request counts against
 * the record's own budget.
 */
export async function fetchWholeRecord(client: GraphClient, id: string): Promise<FetchOutcome> {
  const keys = ['app', `record:${id}`] as const;
  const path = `communications/callRecords/${encodeURIComponent(id)}`;
  let requests = 1;
  const first = await client.get(`${path}?$expand=sessions($expand=segments)`, keys);
  if (!first.found) return { found: false, requests };
  const record = { ...first.body };
  delete record['@odata.context'];
  const sessions = arrayOf(record.sessions, 'sessions');
  let next = stringOf(record['sessions@odata.nextLink']);
  delete record['sessions@odata.nextLink'];
  delete record['sessions@odata.context'];
  for (let pages = 0; next !== undefined; pages++) {
    if (pages >= MAX_PAGES) throw new GraphRequestError(`${id}: more than ${MAX_PAGES} pages of sessions`, undefined);
    requests++;
    const page = await client.get(next, keys);
    if (!page.found) return { found: false, requests };
    sessions.push(...arrayOf(page.body.value, 'sessions'));
    next = stringOf(page.body['@odata.nextLink']);
  }
  record.sessions = sessions;

  const participants: unknown[] = [];
  let link: string | undefined = `${path}/participants_v2`;
  for (let pages = 0; link !== undefined; pages++) {
    if (pages >= MAX_PAGES)
      throw new GraphRequestError(`${id}: more than ${MAX_PAGES} pages of participants`, undefined);
    requests++;
    const page = await client.get(link, keys);
    if (!page.found) return { found: false, requests };
    participants.push(...arrayOf(page.body.value, 'participants_v2'));
    link = stringOf(page.body['@odata.nextLink']);
  }
  delete record['participants_v2@odata.nextLink'];
  delete record['participants_v2@odata.context'];
  record.participants_v2 = participants;
  return { found: true, record, requests };
}

function arrayOf(value: unknown, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GraphRequestError(`Graph returned ${name} that is not an array`, undefined);
  return [...(value as unknown[])];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
