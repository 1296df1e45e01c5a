import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { holdsNul } from '../domain/json-text-rules.js';
import { AppError } from '../errors.js';
import { parseQueryOptions } from '../odata/query-options.js';
import { parseResourcePath } from '../odata/resource-path.js';
import type { ReadContext, ReadResult } from '../service/read-context.js';
import type { GraphReaders } from '../service/graph-readers.js';
import { allowedOptions } from './allowed-options.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';
import { GRAPH_JSON_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './graph-content-type.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { parsePrefer } from './prefer.js';

/** The API versions served, each under its own root like graph.microsoft.com (https://learn.microsoft.com/graph/use-the-api). */
export const API_VERSIONS = ['v1.0', 'beta'] as const;

/** What the Graph surface of one API version is built from. */
export interface GraphPluginOptions {
  version: (typeof API_VERSIONS)[number];
  readers: GraphReaders;
  clock: Clock;
  /** The public base URL for @odata.context and next links; default: from each request. */
  publicUrl: string | undefined;
  /** Authentication of this surface (issue 11); undefined with `--auth none`. */
  auth?: SurfaceAuth | undefined;
}

/**
 * The Graph read API of one version, registered with the prefix `/{version}`: `$metadata` and
 * `/communications/callRecords…`. The path and the raw query string are parsed here with the OData parsers (never
 * Fastify's query parser, which turns `+` into a space — dependencies.md, trap 1); every write method answers 405
 * because the Graph API is read-only (https://learn.microsoft.com/graph/api/resources/callrecords-api-overview).
 */
export const graphPlugin: FastifyPluginAsync<GraphPluginOptions> = async (graph, options) => {
  const { version, readers, publicUrl } = options;
  installErrorHandler(graph, options.clock);
  // Before the 405 hook: an anonymous write is a 401, as every other anonymous request.
  installAuthentication(graph, options.auth);
  // Writes are refused before any body is read, so a write gets 405 whatever its body or content type, and no Graph
  // request has a body to parse. Fastify sends the bare prefix (`/v1.0`, no slash) to this surface's not-found
  // handler too; it is not a Graph path, so it is not refused here and its body meets the root's parsers, as an
  // unknown path's does.
  graph.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !isGraphPath(request.url, version)) return;
    void reply.header('allow', 'GET, HEAD');
    throw new AppError(
      'MethodNotAllowed',
      `The callRecords API is read-only: ${request.method} is not allowed on ${request.url.split('?')[0]}. ` +
        'Add records with POST /api/callRecords.',
    );
  });
  registerMetadataRoutes(graph, version);
  // GET (and HEAD) only: a write on any path of this prefix meets the hook above, routed or not.
  graph.get('/*', async (request, reply) => {
    const url = request.raw.url ?? '';
    const queryStart = url.indexOf('?');
    const path = (queryStart < 0 ? url : url.slice(0, queryStart)).slice(version.length + 1);
    const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
    const ctx = readContext(request, version, publicUrl);
    send(reply, await dispatch(readers, ctx, path, rawQuery, version));
  });
};

function isGraphPath(url: string, version: string): boolean {
  return url.startsWith(`/${version}/`);
}

async function dispatch(
  readers: GraphReaders,
  ctx: ReadContext,
  path: string,
  rawQuery: string,
  version: string,
): Promise<ReadResult> {
  const resource = parseResourcePath(path);
  // The telephony functions (getPstnCalls, …) are answered from the call logs (src/call-logs/).
  if (resource.kind === 'function') return readers.callLogs.call(ctx, version, resource.name, resource.args, rawQuery);
  if (Object.values(resource).some((v) => typeof v === 'string' && holdsNul(v))) {
    throw new AppError('NotFound', 'No call record, session, segment or participant has an id holding U+0000.');
  }
  const q = parseQueryOptions(rawQuery, allowedOptions(resource));
  const { records, contained } = readers;
  switch (resource.kind) {
    case 'callRecords':
      return resource.count ? contained.count({ kind: 'callRecords', filter: q.filter }) : records.list(ctx, q);
    case 'callRecord':
      return records.get(ctx, resource.id, q);
    case 'sessions':
      return resource.count
        ? contained.count({ kind: 'sessions', id: resource.id })
        : contained.sessions(ctx, resource.id, q);
    case 'session':
      return contained.session(ctx, resource.id, resource.sessionId, q);
    case 'segments':
      return resource.count
        ? contained.count({ kind: 'segments', id: resource.id, sessionId: resource.sessionId })
        : contained.segments(ctx, resource.id, resource.sessionId);
    case 'segment':
      return contained.segment(ctx, resource.id, resource.sessionId, resource.segmentId);
    case 'participants':
      return resource.count
        ? contained.count({ kind: 'participants', id: resource.id })
        : contained.participants(ctx, resource.id, q);
    case 'participant':
      return contained.participant(ctx, resource.id, resource.participantId, q);
    case 'organizer':
      return contained.organizer(ctx, resource.id, q);
  }
}

// A registered name (RFC 3986 unreserved characters: letters, digits, `-._~`, so `my_service` passes), an IPv4 address
// or a bracketed IPv6 address, with an optional port: nothing that could end or redirect a URL it is put into.
/** A well-formed Host header: `host[:port]` or an IPv6 literal. */
export const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function readContext(request: FastifyRequest, version: string, publicUrl: string | undefined): ReadContext {
  // The Host header goes into every @odata.context and next link, so only a well-formed one is echoed.
  if (publicUrl === undefined && !HOST.test(request.host)) {
    throw new AppError('BadRequest', 'The Host header is not a valid host[:port]; links cannot be built from it.');
  }
  const hostRoot = publicUrl ?? `${request.protocol}://${request.host}`;
  return { hostRoot, serviceRoot: `${hostRoot}/${version}`, prefer: parsePrefer(request.headers.prefer) };
}

function send(reply: FastifyReply, result: ReadResult): void {
  reply.header('content-type', result.contentType === 'json' ? GRAPH_JSON_CONTENT_TYPE : TEXT_CONTENT_TYPE);
  if (result.applied.length > 0) reply.header('preference-applied', result.applied.join(','));
  void reply.send(result.body);
}
