import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { toRecordWrite } from '../service/record-fragments.js';
import type { MetaStore, PrivacyStore } from '../storage/roles.js';
import { replaceId, scrubEuii } from './euii.js';
import { scrubLogRow } from './log-euii.js';
import { PURGE_BATCH } from './euii-purge.js';

/** The shared secret (store_meta) that keys the pseudonyms an erased person's id is replaced by. */
const PSEUDONYM_KEY = 'euii-pseudonym-key';
/** How long an ingest trusts its list of erased people before reading it again (another process may have added). */
const REFRESH_MS = 60_000;

type JsonObject = Record<string, unknown>;

/**
 * One person's erasure on request (GDPR; `callrecords purge --user`): their records are scrubbed like old ones in
 * every stored version and their id is replaced by a pseudonym, `erased-` and an HMAC of the id under a key kept in
 * the database — the same in every record, so counts of users stay right. The pseudonyms of erased people are kept
 * (`euii_erasures`), so a record that names an erased person and arrives later is stored erased too.
 */
export class Erasures {
  private key: string | undefined;
  private erased = new Set<string>();
  private loadedAt: number | undefined;

  constructor(
    private readonly store: PrivacyStore,
    private readonly meta: Pick<MetaStore, 'sharedSecret'>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** The pseudonym of a user id in this database. */
  async pseudonymOf(userId: string): Promise<string> {
    return pseudonym(await this.keyOf(), userId);
  }

  /**
   * Erases one person: every record whose current version mentions `userId`, in batches. Resolves to the number of
   * records rewritten and the pseudonym now in their place.
   */
  async erase(userId: string, batchSize = PURGE_BATCH): Promise<{ records: number; pseudonym: string }> {
    if (userId.trim() === '') throw new RangeError('a user id is needed');
    const replacement = await this.pseudonymOf(userId);
    const at = this.clock.now().toISOString();
    // Noted first: a record that arrives while the rewrite runs is erased on write.
    await this.store.noteErasure(replacement, at);
    this.erased.add(replacement);
    const rewrite = (rawJson: string) =>
      toRecordWrite(replaceId(scrubEuii(JSON.parse(rawJson) as JsonObject), userId, replacement), false);
    const ids = await this.store.recordsMentioning(userId);
    let records = 0;
    for (let i = 0; i < ids.length; i += batchSize) {
      records += await this.store.rewrite(ids.slice(i, i + batchSize), rewrite, at);
    }
    return { records, pseudonym: replacement };
  }

  /** Reads the list of erased people again when it is older than a minute (before an ingest batch). */
  async refreshIfStale(): Promise<void> {
    const now = this.clock.now().getTime();
    if (this.loadedAt !== undefined && now - this.loadedAt < REFRESH_MS) return;
    const erased = await this.store.erasures();
    if (erased.length > 0) await this.keyOf();
    this.erased = new Set(erased);
    this.loadedAt = now;
  }

  /**
   * Erases, in place, every erased person a validated record names (participant and identity ids): the record is
   * scrubbed and their ids replaced by their pseudonyms. Synchronous (for the ingest service's `beforeWrite`); uses
   * the list read by the last `refreshIfStale`.
   */
  eraseOnWrite = (record: JsonObject): void => {
    if (this.erased.size === 0 || this.key === undefined) return;
    for (const id of personIds(record)) {
      const replacement = pseudonym(this.key, id);
      if (!this.erased.has(replacement)) continue;
      scrubEuii(record);
      replaceId(record, id, replacement);
    }
  };

  /**
   * Erases, in place, a telephony log row whose `userId` is an erased person's: scrubbed (log-euii.ts) and the id
   * replaced by its pseudonym. Synchronous, like `eraseOnWrite`; uses the list read by the last `refreshIfStale`.
   */
  eraseLogRowOnWrite = (row: JsonObject): void => {
    const id = row.userId;
    if (this.erased.size === 0 || this.key === undefined || typeof id !== 'string') return;
    const replacement = pseudonym(this.key, id);
    if (this.erased.has(replacement)) replaceId(scrubLogRow(row), id, replacement);
  };

  private async keyOf(): Promise<string> {
    this.key ??= await this.meta.sharedSecret(PSEUDONYM_KEY, () => randomBytes(32).toString('base64url'));
    return this.key;
  }
}

function pseudonym(key: string, userId: string): string {
  return `erased-${createHmac('sha256', key).update(userId).digest('base64url').slice(0, 22)}`;
}

// The ids that can name a person: participants' and the organizer's, and every id inside an identity set or an
// endpoint's associatedIdentity, anywhere in the record.
function personIds(record: JsonObject): Set<string> {
  const ids = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, key));
    if (value === null || typeof value !== 'object') return;
    const object = value as JsonObject;
    if ((key === 'participants_v2' || key === 'organizer_v2') && typeof object.id === 'string') ids.add(object.id);
    if (key === 'associatedIdentity' && typeof object.id === 'string') ids.add(object.id);
    if (key === 'identity' || key === 'organizer' || key === 'participants') {
      for (const member of Object.values(object)) {
        const id = (member as JsonObject | null)?.id;
        if (typeof id === 'string') ids.add(id);
      }
    }
    for (const [name, child] of Object.entries(object)) if (typeof child === 'object') visit(child, name);
  };
  visit(record, undefined);
  return ids;
}
