import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { SubscriptionCaller, SubscriptionService } from '../notify/subscription-service.js';
import type { StoredSubscription } from '../storage/subscription-data.js';
import { installAuthentication, type SurfaceAuth } from './auth-hook.js';
import { installErrorHandler } from './error-handler.js';
import { GRAPH_JSON_CONTENT_TYPE } from './graph-content-type.js';
import { HOST } from './graph-routes.js';

/** What the subscriptions surface of one API version is built from. */
export interface SubscriptionsPluginOptions {
  version: string;
  subscriptions: SubscriptionService;
  clock: Clock;
  /** The public base URL for @odata.context; default: from each request. */
  publicUrl: string | undefined;
  /** Authentication of these routes (`--auth`); undefined: none. */
  auth?: SurfaceAuth | undefined;
}

/**
 * Graph's subscription API for call records on the archive itself, registered with the prefix
 * `/{version}/subscriptions` (https://learn.microsoft.com/graph/api/resources/subscription): create (201, after the
 * validation handshake), list, get, renew or change (PATCH), delete (204) and reauthorize (204). Its own JSON body
 * parser; errors in the Graph shape.
 */
export const subscriptionsPlugin: FastifyPluginAsync<SubscriptionsPluginOptions> = async (app, options) => {
  const { subscriptions, version, publicUrl } = options;
  installErrorHandler(app, options.clock);
  installAuthentication(app, options.auth);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, text === '' ? undefined : JSON.parse(text as string));
    } catch {
      done(new AppError('InvalidRequest', 'The request body is not valid JSON.'), undefined);
    }
  });

  const context = (request: FastifyRequest, entity: boolean): string => {
    if (publicUrl === undefined && !HOST.test(request.host)) {
      throw new AppError('BadRequest', 'The Host header is not a valid host[:port]; links cannot be built from it.');
    }
    const root = publicUrl ?? `${request.protocol}://${request.host}`;
    return `${root}/${version}/$metadata#subscriptions${entity ? '/$entity' : ''}`;
  };
  const sendOne = (request: FastifyRequest, reply: FastifyReply, status: number, s: StoredSubscription) =>
    reply
      .status(status)
      .header('content-type', GRAPH_JSON_CONTENT_TYPE)
      .send(JSON.stringify({ '@odata.context': context(request, true), ...subscriptionJson(s) }));

  app.post('/', async (request, reply) =>
    sendOne(request, reply, 201, await subscriptions.create(request.body, callerOf(request))),
  );

  app.get('/', async (request, reply) => {
    const value = (await subscriptions.list(callerOf(request))).map(subscriptionJson);
    void reply
      .header('content-type', GRAPH_JSON_CONTENT_TYPE)
      .send(JSON.stringify({ '@odata.context': context(request, false), value }));
  });

  app.get<{ Params: { id: string } }>('/:id', async (request, reply) =>
    sendOne(request, reply, 200, await subscriptions.get(request.params.id, callerOf(request))),
  );

  app.patch<{ Params: { id: string } }>('/:id', async (request, reply) =>
    sendOne(request, reply, 200, await subscriptions.update(request.params.id, request.body, callerOf(request))),
  );

  app.delete<{ Params: { id: string } }>('/:id', async (request, reply) => {
    await subscriptions.delete(request.params.id, callerOf(request));
    void reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/:id/reauthorize', async (request, reply) => {
    await subscriptions.reauthorize(request.params.id, callerOf(request));
    void reply.status(204).send();
  });
};

/** A subscription as Graph answers it (https://learn.microsoft.com/graph/api/resources/subscription#json-representation). */
export function subscriptionJson(s: StoredSubscription): Record<string, unknown> {
  const own = {
    id: s.id,
    resource: s.resource,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
  };
  // Members the client sent beside these (e.g. latestSupportedTlsVersion) are echoed; the rest default as Graph's do.
  return {
    ...own,
    applicationId: null,
    notificationQueryOptions: null,
    creatorId: null,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    ...(s.extra ?? {}),
    ...own,
  };
}

/** The authenticated caller, whose own subscriptions these routes show (none without `--auth`). */
function callerOf(request: FastifyRequest): SubscriptionCaller | undefined {
  const identity = request.identity;
  return identity === undefined ? undefined : { id: identity.id, admin: identity.roles.includes('CallRecords.Admin') };
}
