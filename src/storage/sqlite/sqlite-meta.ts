import { toRecordEnd } from '../sql/rows.js';
import type { MetaStore } from '../roles.js';
import type { StoreHealth } from '../store.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The meta role on SQLite: health facts from one snapshot, shared values in store_meta. */
export class SqliteMeta implements MetaStore {
  constructor(private readonly c: SqliteConnection) {}

  async health(): Promise<StoreHealth> {
    const { sql, listQueries } = this.c;
    return this.c.inSnapshot(() => ({
      kind: 'sqlite',
      records: this.c.rows(listQueries.count({ start: [] }))[0]!.n,
      partial: this.c.get(sql.partialCount, {})!.n,
      oldest: toRecordEnd(this.c.get(sql.oldestRecord, {})),
      newest: toRecordEnd(this.c.get(sql.newestRecord, {})),
    }));
  }

  async sharedSecret(key: string, create: () => string): Promise<string> {
    const { sql } = this.c;
    return this.c.retry(() => {
      const existing = this.c.get(sql.getMeta, { key });
      if (existing) return existing.value;
      this.c.run(sql.putMetaIfAbsent, { key, value: create() });
      return this.c.get(sql.getMeta, { key })!.value;
    });
  }

  async ping(): Promise<void> {
    await this.c.retry(() => this.c.statement('select 1').get());
  }

  async sizeBytes(): Promise<number> {
    const pages = this.c.db.pragma('page_count', { simple: true }) as number;
    return pages * (this.c.db.pragma('page_size', { simple: true }) as number);
  }
}
