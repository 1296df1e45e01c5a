/**
 * Who made a request, once a surface's authentication hook has decided (issue 11). Every surface reads
 * `request.identity`; it is `undefined` where no authentication runs (`--auth none`, webhook receivers).
 */
export interface Identity {
  /** A stable id for audit and throttling: the token's `oid`/`sub` (Entra) or the key's id (`key:<id>`). */
  readonly id: string;
  /** How the caller proved it: an Entra ID token or an API key. */
  readonly kind: 'entra' | 'key';
  /** A readable name for logs and the audit trail (the token's `name`/`appid`, or the key's name). */
  readonly name: string;
  /** The roles the caller holds (`CallRecords.Read.All`, `CallRecords.Ingest`, `CallRecords.Admin`). */
  readonly roles: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook of the request's surface; undefined when no authentication runs. */
    identity?: Identity;
  }
}
