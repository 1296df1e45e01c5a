import { createHash, X509Certificate } from 'node:crypto';
import {
  ConfidentialClientApplication,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { ConfigError } from '../errors.js';
import type { Fetch } from '../runtime/runtime.js';

/** The public cloud's sign-in host; any other host is a national cloud or a test issuer (no instance discovery). */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** The Entra app the collector signs in as: a tenant, a client id, and a secret or a PEM certificate with its key. */
export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** PEM text holding the certificate and its private key. */
  clientCertificatePem?: string | undefined;
  authorityHost: string;
  /** Graph's base URL; the token is asked for its `.default` scope. */
  graphUrl: string;
}

/** Hands out an access token for Graph, cached and renewed by MSAL; `refresh` skips the cache (after a 401). */
export interface TokenSource {
  token(refresh?: boolean): Promise<string>;
}

/**
 * A token source over MSAL's ConfidentialClientApplication (client credentials flow;
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Every request MSAL makes
 * goes through `fetch`. With a non-default authority host, instance discovery is off: the host is a known authority
 * and its metadata (token endpoint, issuer) is given here, so MSAL never asks the public cloud about it.
 */
export function msalTokenSource(credentials: GraphCredentials, fetch: Fetch): TokenSource {
  const authorityHost = credentials.authorityHost.replace(/\/+$/, '');
  const authority = `${authorityHost}/${credentials.tenantId}`;
  const auth: Configuration['auth'] = { clientId: credentials.clientId, authority };
  if (credentials.clientCertificatePem !== undefined) {
    auth.clientCertificate = certificateOf(credentials.clientCertificatePem);
  } else if (credentials.clientSecret !== undefined) {
    auth.clientSecret = credentials.clientSecret;
  } else {
    throw new ConfigError('Graph sync needs --graph-client-secret or --graph-client-certificate');
  }
  if (authorityHost !== DEFAULT_AUTHORITY_HOST) {
    const host = new URL(authorityHost).host;
    auth.knownAuthorities = [host];
    auth.cloudDiscoveryMetadata = JSON.stringify({
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    auth.authorityMetadata = JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      issuer: `${authorityHost}/${credentials.tenantId}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    });
  }
  const app = new ConfidentialClientApplication({ auth, system: { networkClient: fetchNetworkClient(fetch) } });
  const scopes = [`${credentials.graphUrl.replace(/\/+$/, '')}/.default`];
  return {
    async token(refresh = false) {
      const result = await app.acquireTokenByClientCredential({ scopes, skipCache: refresh });
      if (result === null || result.accessToken === '') throw new Error('the token endpoint returned no access token');
      return result.accessToken;
    },
  };
}

/** MSAL's certificate settings from one PEM text holding the certificate and its private key. */
function certificateOf(pem: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (cert === undefined || key === undefined) {
    throw new ConfigError('--graph-client-certificate must be a PEM file with the certificate and its private key');
  }
  let der: Buffer;
  try {
    der = new X509Certificate(cert).raw;
  } catch (error) {
    throw new ConfigError(`--graph-client-certificate: ${(error as Error).message}`);
  }
  return { thumbprintSha256: createHash('sha256').update(der).digest('hex'), privateKey: key, x5c: cert };
}

/** MSAL's network module over an injected fetch (so tests and the simulator see every token request). */
export function fetchNetworkClient(fetch: Fetch): INetworkModule {
  const send = async <T>(url: string, method: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const init: RequestInit = { method };
    if (options?.headers !== undefined) init.headers = options.headers;
    if (options?.body !== undefined) init.body = options.body;
    const res = await fetch(url, init);
    const text = await res.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return { headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}
