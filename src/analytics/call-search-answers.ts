/**
 * The answers of the call search and of one call's streams as the API writes them (docs/analytics.md, "Call search"
 * and "One call's streams"). Type declarations only: the dashboard (dashboard/src/pages/calls.ts, call-streams.ts)
 * imports this file, so it must import nothing.
 */

/** One call of a search answer. */
export interface CallListItem {
  id: string;
  startDateTime: string;
  callType: string | null;
  participants: { id: string; displayName: string | null }[];
  streams: number;
  poorStreams: number;
  poor: boolean;
  failures: number;
}

/** `GET /api/analytics/calls`: a page of calls, newest first, and the link to the next page when more remain. */
export interface CallListPage {
  ruleSet: string;
  value: CallListItem[];
  '@odata.nextLink'?: string;
}

/** A stream row keyed by its documented column name (docs/analytics.md, "Stream table"), nulls included. */
export type StreamRow = Record<string, string | number | null>;

/** `GET /api/analytics/calls/{id}/streams`: the call's stream rows and the rule set that classified them. */
export interface CallStreamsAnswer {
  ruleSet: string;
  callId: string;
  value: StreamRow[];
}
