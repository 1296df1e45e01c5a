import type { Clock, TimerHandle } from '../clock.js';
import type { AuditEntry, AuditStore } from '../storage/roles.js';

/** How long an entry waits in memory before it is written, at most. */
export const AUDIT_FLUSH_MS = 1000;
/** How many entries are written at once; a full buffer is written at once. */
export const AUDIT_BATCH = 500;
/** The most entries held while the database refuses them; beyond, the oldest are dropped (and counted in the log). */
export const AUDIT_BUFFER_LIMIT = 50_000;

/** Where the trail reports writes that failed. */
export interface AuditLog {
  error(obj: object, message: string): void;
}

/**
 * The audit trail of authenticated requests: `record` buffers an entry and returns at once (a request never waits
 * for the audit write), and the buffer goes to the store in one transaction per batch after `AUDIT_FLUSH_MS` or as
 * soon as `AUDIT_BATCH` entries wait. `flush()` writes what waits (before `GET /api/audit` reads, and when the app
 * closes). A batch the store refuses is kept and tried again with the next flush.
 */
export class AuditTrail {
  private buffer: AuditEntry[] = [];
  private timer: TimerHandle | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly store: Pick<AuditStore, 'appendAudit'>,
    private readonly clock: Clock,
    private readonly log: AuditLog,
  ) {}

  /** Adds an entry; it is written within `AUDIT_FLUSH_MS`. */
  record(entry: AuditEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length > AUDIT_BUFFER_LIMIT) {
      this.buffer.shift();
      this.dropped++;
    }
    if (this.buffer.length >= AUDIT_BATCH) void this.flush();
    else this.timer ??= this.clock.setTimeout(() => void this.flush(), AUDIT_FLUSH_MS, { unref: true });
  }

  /** Writes every entry recorded so far; resolves once they are stored (or the attempt failed and was logged). */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeAll());
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, AUDIT_BATCH);
      try {
        await this.store.appendAudit(batch);
      } catch (error) {
        this.log.error({ err: error, waiting: this.buffer.length }, 'audit write failed; kept for the next flush');
        this.timer ??= this.clock.setTimeout(() => void this.flush(), AUDIT_FLUSH_MS, { unref: true });
        return;
      }
      this.buffer.splice(0, batch.length);
    }
    if (this.dropped > 0) {
      this.log.error({ dropped: this.dropped }, 'audit entries dropped while the database refused them');
      this.dropped = 0;
    }
  }
}
