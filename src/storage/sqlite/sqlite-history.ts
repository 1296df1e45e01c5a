import { decompressJson } from '../compression.js';
import { exportVersionValues, toExportedVersion, toVersionInfo } from '../sql/rows.js';
import type { HistoryStore } from '../roles.js';
import type { ExportRange, ExportedVersion, VersionCursor, VersionInfo } from '../store.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The history role on SQLite: every distinct body of a record, read from record_versions. */
export class SqliteHistory implements HistoryStore {
  constructor(private readonly c: SqliteConnection) {}

  async listVersions(id: string): Promise<VersionInfo[]> {
    return this.c.inSnapshot(() => {
      const current = this.c.get(this.c.sql.currentHead, { id });
      return this.c.all(this.c.sql.listVersions, { id }).map((r) => toVersionInfo(r, current?.content_hash));
    });
  }

  async getVersion(id: string, version: number): Promise<string | undefined> {
    const stored = await this.c.retry(() => this.c.get(this.c.sql.getVersion, { id, version })?.raw_brotli);
    return stored === undefined ? undefined : decompressJson(stored);
  }

  async exportVersions(
    range: ExportRange,
    after: VersionCursor | undefined,
    limit: number,
  ): Promise<ExportedVersion[]> {
    const values = exportVersionValues(range, after, limit);
    return this.c.all(this.c.sql.exportVersionsPage, values).map(toExportedVersion);
  }
}
