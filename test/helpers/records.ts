import type { Json } from './json.js';

/** Builds valid callRecord JSON for tests: `makeRecord({ id: 'r1', sessions: 150 })`. */
export interface RecordSpec {
  id: string;
  version?: number;
  start?: string;
  sessions?: number;
  participants?: number;
  organizerId?: string;
  participantIds?: string[];
}

/** A Graph-shaped call record with the given number of sessions (one segment each) and participants. */
export function makeRecord(spec: RecordSpec): Record<string, Json> {
  const start = spec.start ?? '2024-03-01T10:00:00Z';
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  const version = spec.version ?? 1;
  const participantIds = spec.participantIds ?? range(spec.participants ?? 2).map((i) => `${spec.id}-user-${i}`);
  const organizerId = spec.organizerId ?? participantIds[0] ?? `${spec.id}-organizer`;
  return {
    id: spec.id,
    version,
    type: (spec.sessions ?? 1) > 1 ? 'groupCall' : 'peerToPeer',
    modalities: ['audio'],
    lastModifiedDateTime: new Date(Date.parse(end) + version * 60_000).toISOString(),
    startDateTime: start,
    endDateTime: end,
    joinWebUrl: null,
    organizer_v2: { id: organizerId, identity: { user: { id: organizerId, displayName: `User ${organizerId}` } } },
    participants_v2: participantIds.map((id) => ({
      id,
      identity: { user: { id, displayName: `User ${id}`, tenantId: 'tenant-1' } },
    })),
    sessions: range(spec.sessions ?? 1).map((i) => makeSession(`${spec.id}-s${i}`, start, end)),
  };
}

function makeSession(id: string, start: string, end: string): Record<string, Json> {
  return {
    id,
    modalities: ['audio'],
    startDateTime: start,
    endDateTime: end,
    isTest: false,
    caller: {
      '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
      name: 'machine',
      userAgent: {
        '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
        platform: 'windows',
        productFamily: 'teams',
      },
    },
    callee: {
      '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint',
      userAgent: { '@odata.type': '#microsoft.graph.callRecords.serviceUserAgent', role: 'unknown' },
    },
    segments: [
      {
        id: `${id}-seg0`,
        startDateTime: start,
        endDateTime: end,
        media: [
          {
            label: 'main-audio',
            streams: [
              { streamId: '1', streamDirection: 'callerToCallee', averageJitter: 'PT0.016S', packetUtilization: 900 },
            ],
          },
        ],
      },
    ],
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The record as Graph's List returns it (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords): without `sessions` and `participants_v2`, which only a Get
 * with `$expand` returns.
 */
export function listPageCopy(record: Record<string, Json>): Record<string, Json> {
  const { sessions: _sessions, participants_v2: _participants, ...rest } = record;
  return rest;
}

/**
 * The record as a Get with `$expand=sessions($expand=segments)` returns it when it has more sessions than one page
 * (https://learn.microsoft.com/graph/api/callrecords-callrecord-get): the first `pageSize` sessions and `sessions@odata.nextLink`.
 */
export function cutShortCopy(record: Record<string, Json>, pageSize = 60): Record<string, Json> {
  const sessions = record.sessions as Json[];
  return {
    ...record,
    sessions: sessions.slice(0, pageSize),
    'sessions@odata.nextLink': `https://graph.microsoft.com/v1.0/communications/callRecords('${String(record.id)}')/sessions?$expand=segments&$skiptoken=page2`,
  };
}
