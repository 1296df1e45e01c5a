import type pg from 'pg';
import type { AuditEntry, AuditStore, KeyStore, StoredAuditEntry, StoredKey } from '../roles.js';
import { AUDIT_COLUMNS, KEY_COLUMNS, toAuditEntry, toKey, type AuditRow, type KeyRow } from '../sql/key-rows.js';

const AUDIT_INSERT_COLUMNS = 8;

/** The keys and audit roles on PostgreSQL (tables of migration 0006), over the store's pool. */
export class PostgresKeys implements KeyStore, AuditStore {
  constructor(private readonly pool: pg.Pool) {}

  async createKey(key: StoredKey): Promise<void> {
    await this.pool.query(`insert into api_keys (${KEY_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7)`, [
      key.id,
      key.hash,
      key.name,
      key.role,
      key.createdAt,
      key.expiresAt,
      key.revokedAt,
    ]);
  }

  async getKey(id: string): Promise<StoredKey | undefined> {
    const { rows } = await this.pool.query<KeyRow>({
      name: 'api_keys_get',
      text: `select ${KEY_COLUMNS} from api_keys where id = $1`,
      values: [id],
    });
    return rows[0] === undefined ? undefined : toKey(rows[0]);
  }

  async listKeys(): Promise<StoredKey[]> {
    const { rows } = await this.pool.query<KeyRow>(`select ${KEY_COLUMNS} from api_keys order by created_at, id`);
    return rows.map(toKey);
  }

  async revokeKey(id: string, at: string): Promise<boolean> {
    const result = await this.pool.query('update api_keys set revoked_at = $1 where id = $2 and revoked_at is null', [
      at,
      id,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One multi-row insert: one statement, one implicit transaction, the entries' order kept in their sequence numbers.
    const values: unknown[] = [];
    const tuples = entries.map((e, i) => {
      values.push(e.at, e.identityId, e.identityKind, e.identityName, e.method, e.route, e.recordId, e.status);
      const base = i * AUDIT_INSERT_COLUMNS;
      return `(${Array.from({ length: AUDIT_INSERT_COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await this.pool.query(
      'insert into audit_log (at, identity_id, identity_kind, identity_name, method, route, record_id, status) ' +
        `values ${tuples.join(', ')}`,
      values,
    );
  }

  async listAudit(query: { before?: number | undefined; limit: number }): Promise<StoredAuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>({
      name: 'audit_log_page',
      text: `select ${AUDIT_COLUMNS} from audit_log where seq < $1 order by seq desc limit $2`,
      values: [query.before ?? Number.MAX_SAFE_INTEGER, query.limit],
    });
    return rows.map(toAuditEntry);
  }

  async expireAudit(cutoff: string): Promise<number> {
    return (await this.pool.query('delete from audit_log where at < $1', [cutoff])).rowCount ?? 0;
  }
}
