import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ItemOutcome } from '../ingest/ingest-service.js';
import type { MetaStore } from '../storage/roles.js';

/** A gauge whose value is read at each scrape (the collector's queue depth and lag, the database size). */
export interface GaugeSpec {
  /** A Prometheus metric name (`callrecords_collector_queue_depth`). */
  name: string;
  help: string;
  /** Label names, when `read` answers one value per label set. */
  labelNames?: readonly string[];
  /** The value now: a number, or values by label set; may be async. A throw makes it NaN (no sample, with labels) for this scrape. */
  read():
    | number
    | { labels: Record<string, string>; value: number }[]
    | Promise<number | { labels: Record<string, string>; value: number }[]>;
}

/** What background work needs of the metrics: a way to publish a gauge read at scrape time. */
export interface GaugeRegistry {
  /** Adds a gauge read at each scrape (e.g. the collector's queue depth and lag). Names must be unique. */
  registerGauge(spec: GaugeSpec): void;
}

/** Latency buckets in seconds: a cached read takes a millisecond, a 1,000-record ingest about a second. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics in a registry of their own (never prom-client's global one, so two apps in one
 * process — tests — do not share counters): requests by route and status, latency, ingest outcomes, store errors,
 * the database size, the process's default metrics, and any gauge registered later (`registerGauge`).
 */
export class Metrics implements GaugeRegistry {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'callrecords_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'callrecords_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly ingested = new Counter({
    name: 'callrecords_ingest_records_total',
    help: 'Records received by the ingest API, by outcome (inserted, updated, unchanged, stale, rejected)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'callrecords_store_errors_total',
    help: 'Failed requests: the database unavailable (503), or an unexpected error, from the store or not (500)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    for (const outcome of ['inserted', 'updated', 'unchanged', 'stale', 'rejected']) this.ingested.inc({ outcome }, 0);
    for (const kind of ['unavailable', 'unexpected']) this.storeErrors.inc({ kind }, 0);
  }

  /** Counts one answered request and its latency. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route, method }, seconds);
  }

  /** Counts the outcomes of one ingest call. */
  observeIngest(outcomes: readonly Pick<ItemOutcome, 'status'>[]): void {
    for (const { status } of outcomes) this.ingested.inc({ outcome: status });
  }

  /** Counts a request that the database failed. */
  observeStoreError(kind: 'unavailable' | 'unexpected'): void {
    this.storeErrors.inc({ kind });
  }

  /** Publishes the database's size (`callrecords_database_size_bytes`), read at each scrape. */
  watchDatabase(meta: Pick<MetaStore, 'sizeBytes'>): void {
    this.registerGauge({
      name: 'callrecords_database_size_bytes',
      help: 'Space the database takes: SQLite pages, or the PostgreSQL schema with its indexes',
      read: () => meta.sizeBytes(),
    });
  }

  registerGauge(spec: GaugeSpec): void {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      registers: [this.registry],
      async collect() {
        this.reset();
        let value;
        try {
          value = await spec.read();
        } catch {
          // A broken source must not fail the whole scrape: NaN says "unknown now" (labelled gauges: no sample).
          if ((spec.labelNames ?? []).length === 0) this.set(NaN);
          return;
        }
        if (typeof value === 'number') this.set(value);
        else for (const v of value) this.set(v.labels, v.value);
      },
    });
  }

  /** The scrape: every metric in Prometheus's text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
