import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { IngestService, ItemOutcome } from '../ingest/ingest-service.js';
import { BodyItemsReader, type BodyItems } from '../ingest/body-items.js';
import { summarise } from '../ingest/summary.js';
import { logKindFor, type CallLogService } from '../call-logs/call-log-service.js';
import type { Telephony } from '../call-logs/telephony.js';
import type { ArchiveStatus } from '../service/archive-status.js';
import type { PartialRecordsRequest } from '../service/partial-records.js';
import type { RecordHistory } from '../service/record-history.js';
import type { AuditPageRequest, AuditReader } from '../auth/audit-reader.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';
import { ingestFormat, registerIngestBodyParser } from './ingest-body.js';

/** What the archive API is built from: one service per concern, never the store itself. */
export interface ApiPluginOptions {
  ingest: IngestService;
  history: RecordHistory;
  status: ArchiveStatus;
  clock: Clock;
  /** The largest request body accepted, in bytes (the ingest body parser refuses more as it reads). */
  bodyLimit: number;
  /** Authentication of this surface (issue 11); undefined with `--auth none`. */
  auth?: SurfaceAuth | undefined;
  /** The audit trail's pages (`GET /api/audit`). */
  auditReader: AuditReader;
  /** Ingest of the telephony logs (POST /api/logs/{kind}). */
  callLogs: CallLogService;
  /** The join of call records to their telephony rows (GET /api/callRecords/{id}/telephony). */
  telephony: Telephony;
}

/**
 * The service's own API beside Graph's, registered with the prefix `/api`: ingest (POST /api/callRecords), partial
 * records (GET /api/callRecords?partial=true), history (versions) and health. Each route decodes the request, makes
 * one service call and encodes its answer. See docs/api.md.
 */
export const apiPlugin: FastifyPluginAsync<ApiPluginOptions> = async (api, options) => {
  const { ingest, history, status } = options;
  installErrorHandler(api, options.clock);
  installAuthentication(api, options.auth);
  registerIngestBodyParser(api, options.bodyLimit);

  api.post('/callRecords', async (request, reply) => {
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

  api.get<{ Querystring: PartialRecordsRequest }>('/callRecords', async (request) =>
    status.partialRecords(request.query),
  );

  api.get<{ Params: { id: string } }>('/callRecords/:id/versions', async (request) =>
    history.versions(request.params.id),
  );

  api.get<{ Params: { id: string; version: string } }>('/callRecords/:id/versions/:version', async (request, reply) => {
    const { id, version } = request.params;
    if (!/^\d{1,15}$/.test(version)) throw new AppError('BadRequest', `'${version}' is not a version number.`);
    const raw = await history.version(id, Number(version));
    void reply.header('content-type', 'application/json; charset=utf-8').send(raw);
  });

  api.get<{ Querystring: AuditPageRequest }>('/audit', async (request) => options.auditReader.page(request.query));
  // Probes are never throttled (src/http/throttle.ts); authentication decides per route (docs/security.md).
  const probe = { config: { throttle: false } };
  api.get('/health', probe, async () => status.health());
  // Liveness: the process answers; the database is not asked, so a database outage does not get the process restarted.
  api.get('/health/live', probe, async () => ({ status: 'live' }));
  // Readiness: the database answers (503 serviceNotAvailable with Retry-After while it does not).
  api.get('/health/ready', probe, async () => status.ready());
  // The telephony logs (docs/call-logs.md): the same per-item outcomes and summary as call records.
  api.post<{ Params: { kind: string }; Querystring: { fromDateTime?: string; toDateTime?: string } }>(
    '/logs/:kind',
    async (request, reply) => {
      const body = request.body as BodyItems | undefined;
      const { items, single } = body ?? new BodyItemsReader(ingestFormat(request.headers['content-type'])).end();
      const { name } = logKindFor(request.params.kind);
      if (items.length === 0) throw new AppError('invalidRecord', `The request body holds no ${name} rows.`);
      const { fromDateTime, toDateTime } = request.query;
      const outcomes = await options.callLogs.ingest(name, items, fromDateTime, toDateTime);
      const summary = summarise(outcomes);
      request.log.info({ ingest: summary, kind: name }, 'log ingest outcomes');
      if (single && outcomes[0]?.status === 'rejected') throw rejection(outcomes[0], `${name} row`);
      if (summary.rejected === summary.received) throw allRejected(outcomes, `${name} rows`);
      void reply.header('content-type', 'application/json; charset=utf-8').send({ summary, value: outcomes });
    },
  );

  api.get<{ Params: { id: string } }>('/callRecords/:id/telephony', async (request) =>
    options.telephony.rowsOf(request.params.id),
  );
};

function rejection(outcome: ItemOutcome, noun = 'call record'): AppError {
  const findings = outcome.errors ?? [outcome.reason ?? 'invalid'];
  const details = findings.map((message) => ({ code: 'invalidValue', message, target: outcome.id ?? '' }));
  return new AppError('invalidRecord', `The ${noun} was rejected: ${outcome.reason ?? 'invalid'}`, details);
}

function allRejected(outcomes: readonly ItemOutcome[], noun = 'call records'): AppError {
  const details = outcomes.map((o) => ({
    code: 'invalidValue',
    message: `item ${o.index}${o.line === undefined ? '' : ` (line ${o.line})`}: ${o.reason ?? 'invalid'}`,
    target: o.id ?? '',
  }));
  return new AppError('invalidRecord', `All ${outcomes.length} ${noun} were rejected; nothing was stored.`, details);
}
