/**
 * The roles a caller can hold, from an Entra token's `roles` claim or an API key's role (docs/security.md, "Roles").
 * `CallRecords.Read.All` is Graph's own application permission for the callRecords API
 * (https://learn.microsoft.com/graph/permissions-reference#callrecordsreadall); the other two are this service's.
 */
export const ROLES = ['CallRecords.Read.All', 'CallRecords.Ingest', 'CallRecords.Admin'] as const;

/** One of `ROLES`. */
export type Role = (typeof ROLES)[number];

/** Whether a text names one of `ROLES` (exactly, as the claim carries it). */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
