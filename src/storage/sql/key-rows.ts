import type { StoredAuditEntry, StoredKey } from '../roles.js';

/** A row of `api_keys` as both backends return it. */
export interface KeyRow {
  id: string;
  hash: string;
  name: string;
  role: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A row of `audit_log` as both backends return it. */
export interface AuditRow {
  seq: number;
  at: string;
  identity_id: string;
  identity_kind: string;
  identity_name: string;
  method: string;
  route: string;
  record_id: string | null;
  status: number;
}

/** The columns of `api_keys`, in the order of `KeyRow`. */
export const KEY_COLUMNS = 'id, hash, name, role, created_at, expires_at, revoked_at';
/** The columns of `audit_log`, in the order of `AuditRow`. */
export const AUDIT_COLUMNS = 'seq, at, identity_id, identity_kind, identity_name, method, route, record_id, status';

/** A stored key from its row. */
export function toKey(row: KeyRow): StoredKey {
  return {
    id: row.id,
    hash: row.hash,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A stored audit entry from its row. */
export function toAuditEntry(row: AuditRow): StoredAuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    identityId: row.identity_id,
    identityKind: row.identity_kind,
    identityName: row.identity_name,
    method: row.method,
    route: row.route,
    recordId: row.record_id,
    status: Number(row.status),
  };
}
