import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { IntakeResult, NotificationIntake } from '../collector/notification-intake.js';
import { WEBHOOK_PATHS } from '../collector/webhook-config.js';
import { AppError } from '../errors.js';
import { installErrorHandler } from './error-handler.js';
import { TEXT_CONTENT_TYPE } from './graph-content-type.js';

/** What the receiver of Graph's notifications is built from. */
export interface WebhooksPluginOptions {
  intake: NotificationIntake;
  clock: Clock;
}

/**
 * The receiver of Graph's change notifications, registered under the `--notification-url` base's path
 * (webhook-config.ts: `…/webhooks/graph/callRecords` and `…/webhooks/graph/lifecycle`). On both URLs a POST with
 * `validationToken` is Graph's validation handshake, answered at once with the decoded token as text/plain
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation); any other
 * POST is a collection of notifications, answered 202 once what it asks for is durable in the database (Graph
 * expects an answer within 3 seconds and retries on 5xx).
 */
export const webhooksPlugin: FastifyPluginAsync<WebhooksPluginOptions> = async (app, options) => {
  const { intake } = options;
  installErrorHandler(app, options.clock);
  // Graph's handshake is text/plain with an empty body; notifications are JSON. Bodies are parsed in the routes, after
  // the handshake is recognised, so no content type can keep the handshake from being answered.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const route =
    (take: (body: unknown) => Promise<IntakeResult>) => async (request: FastifyRequest, reply: FastifyReply) => {
      const token = validationToken(request.raw.url ?? '');
      if (token !== null) {
        void reply.status(200).header('content-type', TEXT_CONTENT_TYPE).send(token);
        return;
      }
      const result = await take(jsonOf(request.body));
      request.log.info({ notifications: result }, 'notifications received');
      void reply.status(202).send();
    };
  app.post(
    WEBHOOK_PATHS.notifications,
    route((body) => intake.receive(body)),
  );
  app.post(
    WEBHOOK_PATHS.lifecycle,
    route((body) => intake.receiveLifecycle(body)),
  );
};

/** The decoded `validationToken` of a request URL, or null when it has none. */
function validationToken(url: string): string | null {
  const query = url.indexOf('?');
  return query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('validationToken');
}

function jsonOf(body: unknown): unknown {
  if (typeof body !== 'string' || body === '')
    throw new AppError('BadRequest', 'A notification body is {"value": [...]}.');
  try {
    return JSON.parse(body);
  } catch {
    throw new AppError('invalidJson', 'The notification body is not valid JSON.');
  }
}
