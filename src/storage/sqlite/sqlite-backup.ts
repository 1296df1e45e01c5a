import BetterSqlite3 from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';

/** Pages copied per step while no other connection writes (64 MiB at the store's 16 KB pages). */
const PAGES_PER_STEP = 4096;
/** better-sqlite3's largest step: every remaining page in one step, in one read transaction. */
const ALL_PAGES = 0x7fffffff;

/** How far a backup got: pages in the source database and pages still to copy. */
export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/** How a backup proceeds. */
export interface BackupOptions {
  /** Pages copied per step (default 4096); each step is one short read, between which others write freely. */
  pagesPerStep?: number | undefined;
  /** Called between steps. */
  onProgress?: ((progress: BackupProgress) => void) | undefined;
}

/**
 * Copies the SQLite database at `source` into a new file `target` with SQLite's online backup API, while other
 * processes (a running `callrecords serve`) go on reading and writing it: the copy is the database as one committed
 * transaction left it, written to `target.partial` and renamed when complete, so `target` never holds a partial copy.
 * Refuses to overwrite `target`. Resolves to the number of pages copied.
 */
export async function backupSqlite(source: string, target: string, options: BackupOptions = {}): Promise<number> {
  const { pagesPerStep = PAGES_PER_STEP, onProgress } = options;
  if (existsSync(target)) throw new Error(`${target} exists; a backup never overwrites a file`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new BetterSqlite3(source, { fileMustExist: true });
  try {
    // Each step reads under a shared lock, which WAL lets writers work beside; wait for a writer's checkpoint.
    db.pragma('busy_timeout = 5000');
    let remaining = Number.POSITIVE_INFINITY;
    const result = await db.backup(partial, {
      progress: (progress) => {
        onProgress?.(progress);
        // Another connection's commit restarts the copy from its first page (SQLite's backup API): against a busy
        // server, small steps could restart for ever, so after a restart the rest is copied in one step.
        const restarted = progress.remainingPages > remaining;
        remaining = progress.remainingPages;
        return restarted ? ALL_PAGES : pagesPerStep;
      },
    });
    renameSync(partial, target);
    return result.totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}
