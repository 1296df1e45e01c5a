import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { IngestItem, IngestService, ItemOutcome } from '../ingest/ingest-service.js';
import { parseItems, unwrap } from '../ingest/parse-items.js';
import { summarise } from '../ingest/summary.js';
import { partialRecordsPage, type PartialRecordsRequest } from '../service/partial-records.js';
import { recordNotFound } from '../service/record-reader.js';
import type { CallRecordStore } from '../storage/store.js';

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
export function registerApiRoutes(app: FastifyInstance, store: CallRecordStore, ingest: IngestService): void {
  app.post('/api/callRecords', async (request, reply) => {
    const body = request.body as string;
    const ndjson = (INGEST_MEDIA_TYPES.ndjson as readonly string[]).includes(
      mediaType(request.headers['content-type']),
    );
    const { items, single } = ndjson ? { items: ndjsonItems(body), single: false } : jsonItems(body);
    if (items.length === 0) throw new AppError('invalidRecord', 'The request body holds no call records.');
    const outcomes = await ingest.ingest(items);
    // One record sent on its own gets a Graph error when rejected; a batch reports each item's outcome.
    if (single && outcomes[0]?.status === 'rejected') throw rejection(outcomes[0]);
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .send({ summary: summarise(outcomes), value: outcomes });
  });

  app.get<{ Querystring: PartialRecordsRequest }>('/api/callRecords', async (request) =>
    partialRecordsPage(store, request.query),
  );

  app.get<{ Params: { id: string } }>('/api/callRecords/:id/versions', async (request) => {
    const versions = await store.listVersions(request.params.id);
    if (versions.length === 0) recordNotFound(request.params.id);
    return { id: request.params.id, value: versions };
  });

  app.get<{ Params: { id: string; version: string } }>(
    '/api/callRecords/:id/versions/:version',
    async (request, reply) => {
      const { id, version } = request.params;
      if (!/^\d{1,15}$/.test(version)) throw new AppError('BadRequest', `'${version}' is not a version number.`);
      const raw = await store.getVersion(id, Number(version));
      if (raw === undefined) throw new AppError('NotFound', `Call record '${id}' has no version ${version}.`);
      void reply.header('content-type', 'application/json; charset=utf-8').send(raw);
    },
  );

  app.get('/api/health', async () => {
    try {
      const health = await store.health();
      return {
        status: 'ok',
        database: { kind: health.kind, status: 'ok' },
        records: health.records,
        partial: health.partial,
        oldestRecord: health.oldest && { id: health.oldest.id, startDateTime: health.oldest.startKey },
        newestRecord: health.newest && { id: health.newest.id, startDateTime: health.newest.startKey },
      };
    } catch (error) {
      throw new AppError('serviceNotAvailable', `The database is not available: ${(error as Error).message}`);
    }
  });
}

function jsonItems(body: string): { items: IngestItem[]; single: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError('invalidJson', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  const items = unwrap(value);
  return { items, single: items.length === 1 && items[0]!.value === value };
}

// A body is all or nothing at the syntax level: one unreadable line (e.g. a truncated last line) rejects the request.
function ndjsonItems(body: string): IngestItem[] {
  const items: IngestItem[] = [];
  body.split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    const parsed = parseItems(text, i + 1);
    const broken = parsed.find((item) => item.error !== undefined);
    if (broken !== undefined) throw new AppError('invalidJson', `line ${i + 1}: ${broken.error}`);
    items.push(...parsed);
  });
  return items;
}

function rejection(outcome: ItemOutcome): AppError {
  const findings = outcome.errors ?? [outcome.reason ?? 'invalid'];
  const details = findings.map((message) => ({ code: 'invalidValue', message, target: outcome.id ?? '' }));
  return new AppError('invalidRecord', `The call record was rejected: ${outcome.reason ?? 'invalid'}`, details);
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
