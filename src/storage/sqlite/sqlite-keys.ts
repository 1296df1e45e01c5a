import type { AuditEntry, AuditStore, KeyStore, StoredAuditEntry, StoredKey } from '../roles.js';
import { AUDIT_COLUMNS, KEY_COLUMNS, toAuditEntry, toKey, type AuditRow, type KeyRow } from '../sql/key-rows.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The keys and audit roles on SQLite (tables of migration 0006), each statement prepared once. */
export class SqliteKeys implements KeyStore, AuditStore {
  private readonly append: (entries: readonly AuditEntry[]) => void;

  constructor(private readonly c: SqliteConnection) {
    this.append = c.writeTransaction((entries: readonly AuditEntry[]) => {
      const insert = c.statement(
        'insert into audit_log (at, identity_id, identity_kind, identity_name, method, route, record_id, status) ' +
          'values (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of entries) {
        insert.run(e.at, e.identityId, e.identityKind, e.identityName, e.method, e.route, e.recordId, e.status);
      }
    });
  }

  async createKey(key: StoredKey): Promise<void> {
    const insert = this.c.statement(`insert into api_keys (${KEY_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?)`);
    await this.c.retry(() =>
      insert.run(key.id, key.hash, key.name, key.role, key.createdAt, key.expiresAt, key.revokedAt),
    );
  }

  async getKey(id: string): Promise<StoredKey | undefined> {
    const select = this.c.statement(`select ${KEY_COLUMNS} from api_keys where id = ?`);
    const row = await this.c.retry(() => select.get(id) as KeyRow | undefined);
    return row === undefined ? undefined : toKey(row);
  }

  async listKeys(): Promise<StoredKey[]> {
    const select = this.c.statement(`select ${KEY_COLUMNS} from api_keys order by created_at, id`);
    return (await this.c.retry(() => select.all() as KeyRow[])).map(toKey);
  }

  async revokeKey(id: string, at: string): Promise<boolean> {
    const update = this.c.statement('update api_keys set revoked_at = ? where id = ? and revoked_at is null');
    return (await this.c.retry(() => update.run(at, id))).changes > 0;
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length > 0) await this.c.retry(() => this.append(entries));
  }

  async listAudit(query: { before?: number | undefined; limit: number }): Promise<StoredAuditEntry[]> {
    const select = this.c.statement(`select ${AUDIT_COLUMNS} from audit_log where seq < ? order by seq desc limit ?`);
    const rows = await this.c.retry(
      () => select.all(query.before ?? Number.MAX_SAFE_INTEGER, query.limit) as AuditRow[],
    );
    return rows.map(toAuditEntry);
  }

  async expireAudit(cutoff: string): Promise<number> {
    const remove = this.c.statement('delete from audit_log where at < ?');
    return (await this.c.retry(() => remove.run(cutoff))).changes;
  }
}
