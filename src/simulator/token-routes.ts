import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { assertionProblem, sameSecret, type AppRegistration, type TokenIssuer } from './app-registration.js';

/** What the identity-platform routes need. */
export interface TokenRoutesOptions {
  registration: AppRegistration;
  issuer: TokenIssuer;
  /** Real time: tokens expire in real seconds, whatever the simulator's speed. */
  clock: Clock;
  /** Counts every token issued, for `/_simulator/stats`. */
  onIssued?: (() => void) | undefined;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * A look-alike of the Microsoft identity platform for one tenant, enough for a confidential client (MSAL) to get
 * tokens with client credentials: the OpenID metadata (`/{tenant}/v2.0/.well-known/openid-configuration`), instance
 * discovery (`/common/discovery/instance`), an empty key set, and the token endpoint
 * (`POST /{tenant}/oauth2/v2.0/token`) taking a client secret or a certificate's client assertion
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Errors have the
 * identity platform's OAuth shape, not Graph's.
 */
export const tokenRoutes: FastifyPluginAsync<TokenRoutesOptions> = async (app, options) => {
  const { registration, issuer, clock } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));

  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  app.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    if (!knownTenant(request.params.tenant, reply)) return reply;
    const root = `${base(request)}/${registration.tenantId}`;
    return {
      issuer: `${root}/v2.0`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: null,
      cloud_instance_name: request.hostname,
    };
  });

  const discovery = async (request: FastifyRequest) => {
    const host = request.host;
    return {
      tenant_discovery_endpoint: `${base(request)}/${registration.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  };
  app.get('/common/discovery/instance', discovery);
  app.get('/:tenant/discovery/instance', discovery);
  app.get('/:tenant/discovery/v2.0/keys', async () => ({ keys: [] }));

  app.post<{ Params: { tenant: string }; Body: Record<string, string> }>(
    '/:tenant/oauth2/v2.0/token',
    async (request, reply) => {
      if (!knownTenant(request.params.tenant, reply)) return reply;
      const form = request.body ?? {};
      const basic = basicCredentials(request.headers.authorization);
      const clientId = form.client_id ?? basic?.id;
      if (form.grant_type !== 'client_credentials') {
        return oauthError(reply, 400, 'unsupported_grant_type', 'AADSTS70003: only client_credentials is supported.');
      }
      if (clientId !== registration.clientId) {
        return oauthError(reply, 400, 'unauthorized_client', `AADSTS700016: application '${clientId}' was not found.`);
      }
      if (typeof form.scope !== 'string' || !form.scope.split(' ').some((s) => s.endsWith('/.default'))) {
        return oauthError(reply, 400, 'invalid_scope', 'AADSTS1002012: the scope must be <resource>/.default.');
      }
      const problem = credentialProblem(form, basic?.secret);
      if (problem !== undefined) return oauthError(reply, 401, 'invalid_client', problem);
      const { token, expiresIn } = issuer.issue(registration, clock.now().getTime());
      options.onIssued?.();
      void reply.header('cache-control', 'no-store');
      return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
    },
  );

  function credentialProblem(form: Record<string, string>, basicSecret: string | undefined): string | undefined {
    if (form.client_assertion !== undefined) {
      if (form.client_assertion_type !== JWT_BEARER) return 'AADSTS7000216: client_assertion_type is wrong.';
      const problem = assertionProblem(form.client_assertion, registration, clock.now().getTime());
      return problem === undefined ? undefined : `AADSTS700027: ${problem}.`;
    }
    const secret = form.client_secret ?? basicSecret;
    if (secret === undefined) return 'AADSTS7000218: the request must contain client_assertion or client_secret.';
    if (registration.clientSecret === undefined || !sameSecret(secret, registration.clientSecret)) {
      return 'AADSTS7000215: invalid client secret provided.';
    }
    return undefined;
  }

  function knownTenant(tenant: string, reply: FastifyReply): boolean {
    if (tenant.toLowerCase() === registration.tenantId.toLowerCase()) return true;
    oauthError(reply, 400, 'invalid_request', `AADSTS90002: tenant '${tenant}' not found.`);
    return false;
  }

  function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
    const code = Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0);
    return reply.status(status).send({
      error,
      error_description: description,
      error_codes: [code],
      timestamp: clock.now().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
    });
  }
};

// `Authorization: Basic base64(id:secret)` (client_secret_basic), if sent.
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const text = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}
