import type { IngestItem, ItemOutcome, PreparedBatch } from './ingest-service.js';
import { emptySummary, summarise, type IngestSummary } from './summary.js';

/**
 * A batch is validated and written together once it holds this many records or BATCH_TEXT_BYTES of their text,
 * whichever comes first: large enough to amortise a transaction.
 */
const BATCH_SIZE = 500;

/**
 * The text bound of a batch. A batch's parsed records take several times their text in heap, and the heap's peak is
 * the import's peak: with batches of 500 records of 43 KB, importing 1 GB took 480 MB of RSS; with 4 MiB batches,
 * 240 MB at the same speed (bench/RESULTS.md, History).
 */
const BATCH_TEXT_BYTES = 4 * 2 ** 20;

/** What BatchIngest drives: a service that validates a batch synchronously (`prepare`) and writes it (`commit`). */
export interface BatchService<B> {
  prepare(items: readonly IngestItem[], firstIndex?: number): B;
  commit(batch: B): Promise<ItemOutcome[]>;
}

/**
 * Feeds a stream of items to the ingest service in bounded batches (`callrecords import`, the demo load). One batch
 * is written while the next is gathered and validated (with PostgreSQL the write waits on the server), and batches
 * reach the store one at a time, in order, so the version rules see the input's order. Memory stays flat: at most
 * two batches are held.
 */
export class BatchIngest<B = PreparedBatch> {
  readonly summary: IngestSummary = emptySummary();
  /**
   * How far the store has got: the line (when known) of the last item of the last batch written. Batches are written
   * in order, each all or nothing, so after a failure every item up to here is stored and nothing after it.
   */
  lastWrittenLine: number | undefined;
  private batch: IngestItem[] = [];
  private batchText = 0;
  private queued = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The call-record ingest service, or another with the same two halves (the telephony logs' CallLogIngest). */
    private readonly ingest: BatchService<B>,
    /** Called with each written batch's outcomes, in order. */
    private readonly onOutcomes: (outcomes: readonly ItemOutcome[]) => void = () => undefined,
  ) {}

  /** Adds items (and how much text they came from); writes a batch once one is full. */
  async add(items: readonly IngestItem[], textLength = 0): Promise<void> {
    for (const item of items) this.batch.push(item); // a spread of a huge page would overflow the call stack
    this.batchText += textLength;
    if (this.batch.length >= BATCH_SIZE || this.batchText >= BATCH_TEXT_BYTES) await this.flush();
  }

  /** Writes what is left and waits for every write; resolves to the summary of all outcomes. */
  async finish(): Promise<IngestSummary> {
    if (this.batch.length > 0) await this.flush();
    await this.writing;
    return this.summary;
  }

  /** Waits for a write in flight without raising its failure (before closing the store after an error). */
  async settle(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const prepared = this.ingest.prepare(this.batch, this.queued);
    this.queued += this.batch.length;
    this.batch = [];
    this.batchText = 0;
    await this.writing;
    this.writing = this.ingest.commit(prepared).then((outcomes) => {
      summarise(outcomes, this.summary);
      this.lastWrittenLine = outcomes.findLast((o) => o.line !== undefined)?.line ?? this.lastWrittenLine;
      this.onOutcomes(outcomes);
    });
    // A failed write is raised where `writing` is next awaited, not as an unhandled rejection meanwhile.
    this.writing.catch(() => undefined);
  }
}
