/**
 * What the dashboard's page shell is told about this server, written into the shell as JSON (dashboard-assets.ts, renderShell) and
 * read by the front end (dashboard/src/config.ts imports this type). Type declarations only: the browser bundle
 * imports this file, so it must import nothing.
 */
export interface DashboardConfig {
  /** The server's version (package.json), shown in the footer. */
  version: string;
  auth: DashboardAuth;
}

/** How a person signs in: nothing to do (`--auth none`), an API key, and/or Entra ID (OIDC code flow with PKCE). */
export interface DashboardAuth {
  /** The modes `--auth` turned on; empty: anyone reaching the server reads (`--auth none`, loopback by default). */
  modes: ('entra' | 'keys')[];
  /** Set when Entra sign-in is possible (`--auth entra` and `--dashboard-client-id`). */
  entra?: DashboardEntra | undefined;
}

/** The OpenID Connect endpoints and client the browser uses (authorization code with PKCE, a public client). */
export interface DashboardEntra {
  authorizeUrl: string;
  tokenUrl: string;
  /** The dashboard's own app registration (a single-page application with this server's URL as redirect URI). */
  clientId: string;
  /** The scopes asked for: the API's, so the access token's audience is one `--auth-audience` accepts. */
  scopes: string[];
}
