import type { CallRecordDatabase } from '../../src/storage/roles.js';

/** The name the Graph readers keep the skip-token key under (src/service/graph-readers.ts). */
const SKIP_TOKEN_KEY = 'skiptoken-key';
const EXPORT_PAGE = 500;

/**
 * Everything a store holds that a client could see, read through the store interface only, so it works on every
 * backend: the current records (whole JSON, in list order), their count, the history of each of them and of the
 * extra `ids` (with every stored body), and the skip-token key. Two equal snapshots mean nothing was changed.
 */
export async function storeSnapshot(store: CallRecordDatabase, ids: readonly string[] = []): Promise<string> {
  const records = [];
  let after: { startKey: string; id: string } | undefined;
  for (;;) {
    const page = await store.records.exportRecords({}, after, EXPORT_PAGE);
    records.push(...page);
    if (page.length < EXPORT_PAGE) break;
    const last = page.at(-1)!;
    after = { startKey: last.startKey, id: last.id };
  }
  const history: Record<string, unknown> = {};
  for (const id of new Set([...records.map((r) => r.id), ...ids])) {
    const versions = await store.history.listVersions(id);
    const bodies = await Promise.all(versions.map((v) => store.history.getVersion(id, v.version)));
    history[id] = versions.map((v, i) => ({ ...v, body: bodies[i] }));
  }
  const count = await store.records.countRecords({ start: [] });
  const secret = await store.meta.sharedSecret(SKIP_TOKEN_KEY, () => '(none yet)');
  return JSON.stringify({ count, records, history, secret });
}
