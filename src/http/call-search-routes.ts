import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { CallListPage } from '../analytics/call-search-answers.js';
import type { CallSearch } from '../analytics/call-search.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { linkWithQuery } from '../service/graph-links.js';
import { RULE_SET_HEADER } from './analytics-query-routes.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';
import { HOST } from './graph-routes.js';

/** What the call search surface is built from. */
export interface CallSearchPluginOptions {
  calls: CallSearch;
  clock: Clock;
  /** The public base URL for next links; default: from each request (as the Graph routes build theirs). */
  publicUrl: string | undefined;
  /** Authentication of these routes (`--auth`); undefined: none. */
  auth?: SurfaceAuth | undefined;
}

/** Where the surface is registered; next links point back here. */
export const CALL_SEARCH_PREFIX = '/api/analytics/calls';

/**
 * The dashboard's call list and call detail reads (issue 13), registered with the prefix `/api/analytics/calls`
 * (docs/analytics.md, "Call search" and "One call's streams"): `GET /api/analytics/calls?from=&to=&user=&poorOnly=
 * &top=&skiptoken=` and `GET /api/analytics/calls/{id}/streams`. Parameters are read from the raw query string as
 * form values (`+` or `%20` a space), not with the analytics filter reader, whose quotes would swallow the `&` after a
 * name such as O'Brien.
 */
export const callSearchPlugin: FastifyPluginAsync<CallSearchPluginOptions> = async (api, options) => {
  const { calls, publicUrl } = options;
  installErrorHandler(api, options.clock);
  installAuthentication(api, options.auth);

  api.get('/', async (request, reply) => {
    const answer = await calls.search(rawParams(request));
    const body: CallListPage = { ruleSet: answer.ruleSet, value: answer.value };
    if (answer.next !== undefined) {
      body['@odata.nextLink'] = linkWithQuery(`${hostRoot(request, publicUrl)}${CALL_SEARCH_PREFIX}`, answer.next);
    }
    return reply.header(RULE_SET_HEADER, answer.ruleSet).header('content-type', JSON_TYPE).send(body);
  });

  api.get<{ Params: { id: string } }>('/:id/streams', async (request, reply) => {
    const answer = await calls.streams(request.params.id);
    return reply.header(RULE_SET_HEADER, answer.ruleSet).header('content-type', JSON_TYPE).send(answer);
  });
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** The query string's parameters; of a name given twice, the last (as the analytics routes read them). */
function rawParams(request: FastifyRequest): Map<string, string> {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return new Map(at === -1 ? [] : new URLSearchParams(url.slice(at + 1)));
}

function hostRoot(request: FastifyRequest, publicUrl: string | undefined): string {
  // The Host header goes into the next link, so only a well-formed one is echoed (as graph-routes.ts does).
  if (publicUrl === undefined && !HOST.test(request.host)) {
    throw new AppError('BadRequest', 'The Host header is not a valid host[:port]; links cannot be built from it.');
  }
  return publicUrl ?? `${request.protocol}://${request.host}`;
}
