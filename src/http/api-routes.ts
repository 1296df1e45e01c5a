import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { IngestService, ItemOutcome } from '../ingest/ingest-service.js';
import { BodyItemsReader, type BodyItems } from '../ingest/body-items.js';
import { summarise } from '../ingest/summary.js';
import { partialRecordsPage, type PartialRecordsRequest } from '../service/partial-records.js';
import { recordNotFound } from '../service/record-reader.js';
import type { CallRecordDatabase } from '../storage/roles.js';

/** Media types accepted by POST /api/callRecords, and how each body is split into records. */
export const INGEST_MEDIA_TYPES = {
  json: ['application/json'],
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'],
} as const;

/**
 * The service's own API beside Graph's: ingest (POST /api/callRecords), partial records (GET /api/callRecords?
 * partial=true), history (versions) and health.
 * See docs/api.md.
 */
export function registerApiRoutes(app: FastifyInstance, db: CallRecordDatabase, ingest: IngestService): void {
  app.post('/api/callRecords', async (request, reply) => {
    // The body parser (ingest-body.ts) has split the body into records; Fastify skips it for an empty body.
    const body = request.body as BodyItems | undefined;
    const { items, single } = body ?? new BodyItemsReader(ingestFormat(request.headers['content-type'])).end();
    if (items.length === 0) throw new AppError('invalidRecord', 'The request body holds no call records.');
    const outcomes = await ingest.ingest(items);
    const summary = summarise(outcomes);
    request.log.info({ ingest: summary }, 'ingest outcomes');
    // One record sent on its own gets a Graph error when rejected; a batch reports each item's outcome, unless every
    // item was rejected: then nothing was stored, and the answer is an error listing each item's reason.
    if (single && outcomes[0]?.status === 'rejected') throw rejection(outcomes[0]);
    if (summary.rejected === summary.received) throw allRejected(outcomes);
    void reply.header('content-type', 'application/json; charset=utf-8').send({ summary, value: outcomes });
  });

  app.get<{ Querystring: PartialRecordsRequest }>('/api/callRecords', async (request) =>
    partialRecordsPage(db.records, request.query),
  );

  app.get<{ Params: { id: string } }>('/api/callRecords/:id/versions', async (request) => {
    // No stored id holds U+0000, and PostgreSQL cannot even compare such a text.
    if (request.params.id.includes('\0')) recordNotFound(request.params.id);
    const versions = await db.history.listVersions(request.params.id);
    if (versions.length === 0) recordNotFound(request.params.id);
    return { id: request.params.id, value: versions };
  });

  app.get<{ Params: { id: string; version: string } }>(
    '/api/callRecords/:id/versions/:version',
    async (request, reply) => {
      const { id, version } = request.params;
      if (!/^\d{1,15}$/.test(version)) throw new AppError('BadRequest', `'${version}' is not a version number.`);
      const raw = id.includes('\0') ? undefined : await db.history.getVersion(id, Number(version));
      if (raw === undefined) throw new AppError('NotFound', `Call record '${id}' has no version ${version}.`);
      void reply.header('content-type', 'application/json; charset=utf-8').send(raw);
    },
  );

  app.get('/api/health', async (request) => {
    try {
      const health = await db.meta.health();
      return {
        status: 'ok',
        database: { kind: health.kind, status: 'ok' },
        records: health.records,
        partial: health.partial,
        oldestRecord: health.oldest && { id: health.oldest.id, startDateTime: health.oldest.startKey },
        newestRecord: health.newest && { id: health.newest.id, startDateTime: health.newest.startKey },
      };
    } catch (error) {
      // The driver's message can name the database's host, user or path: it goes to the log, not to the caller.
      request.log.error({ err: error }, 'health check: the database is not available');
      throw new AppError('serviceNotAvailable', 'The database is not available.');
    }
  });
}

function rejection(outcome: ItemOutcome): AppError {
  const findings = outcome.errors ?? [outcome.reason ?? 'invalid'];
  const details = findings.map((message) => ({ code: 'invalidValue', message, target: outcome.id ?? '' }));
  return new AppError('invalidRecord', `The call record was rejected: ${outcome.reason ?? 'invalid'}`, details);
}

function allRejected(outcomes: readonly ItemOutcome[]): AppError {
  const details = outcomes.map((o) => ({
    code: 'invalidValue',
    message: `item ${o.index}${o.line === undefined ? '' : ` (line ${o.line})`}: ${o.reason ?? 'invalid'}`,
    target: o.id ?? '',
  }));
  return new AppError(
    'invalidRecord',
    `All ${outcomes.length} call records were rejected; nothing was stored.`,
    details,
  );
}

/** How a body of this content type is split into records: `ndjson` for the NDJSON media types, else `json`. */
export function ingestFormat(contentType: string | undefined): 'json' | 'ndjson' {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (INGEST_MEDIA_TYPES.ndjson as readonly string[]).includes(mediaType) ? 'ndjson' : 'json';
}
