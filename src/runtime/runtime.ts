import type { BaseLogger } from 'pino';
import { systemClock, type Clock } from '../clock.js';
import type { GaugeRegistry } from '../metrics/metrics.js';

/** The outbound HTTP a job uses (the Graph collector's calls to Microsoft Graph): `globalThis.fetch` unless injected. */
export type Fetch = typeof globalThis.fetch;

/** Where the runtime and its jobs log (the server's pino logger in production). */
export type RuntimeLog = Pick<BaseLogger, 'info' | 'warn' | 'error'>;

/** What the runtime hands every job: its time, its outbound HTTP and its log, so that tests can replace each. */
export interface RuntimeDeps {
  clock: Clock;
  fetch: Fetch;
  log: RuntimeLog;
  /** Where a job publishes gauges read at each scrape of `/metrics` (the collector's queue depth and lag). */
  metrics?: GaugeRegistry | undefined;
}

/**
 * Work that goes on in the background while the server runs. `start()` begins it and returns without waiting for
 * any of it; `stop()` ends it and resolves once none of its work is running. `stop()` is safe before `start()`.
 */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

/** Builds a job from the runtime's dependencies, when the runtime starts. */
export type JobFactory = (deps: RuntimeDeps) => BackgroundJob;

/** Something the runtime starts first and stops first: the HTTP server. `stop()` is safe before `start()`. */
export interface RuntimeServer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Something closed once everything else has stopped: the database. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Owns everything a running `callrecords serve` has: the HTTP server, the background jobs (by name) and the
 * resources they share. `start()` starts the server and then each job; `stop()` stops the server (letting in-flight
 * requests finish), then the jobs (waiting for work under way), then closes the resources, last added first.
 */
export class Runtime {
  readonly deps: RuntimeDeps;
  #server: RuntimeServer | undefined;
  #factories = new Map<string, JobFactory>();
  #jobs = new Map<string, BackgroundJob>();
  #resources: Closable[] = [];
  #stopping: Promise<void> | undefined;

  constructor(deps: {
    log: RuntimeLog;
    clock?: Clock | undefined;
    fetch?: Fetch | undefined;
    metrics?: GaugeRegistry | undefined;
  }) {
    this.deps = { log: deps.log, clock: deps.clock ?? systemClock, fetch: deps.fetch ?? globalThis.fetch };
    if (deps.metrics !== undefined) this.deps.metrics = deps.metrics;
  }

  /** Sets the HTTP server. */
  serve(server: RuntimeServer): this {
    this.#server = server;
    return this;
  }

  /** Registers a background job under a name of its own (its jobs are built and started by `start()`). */
  addJob(name: string, factory: JobFactory): this {
    if (this.#factories.has(name)) throw new Error(`a job named ${name} is registered already`);
    this.#factories.set(name, factory);
    return this;
  }

  /** Registers a resource for `stop()` to close after the server and the jobs. */
  closeLast(resource: Closable): this {
    this.#resources.push(resource);
    return this;
  }

  /** The names of the jobs running now. */
  get runningJobs(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Starts the server, then the jobs in the order they were added. On a failure, `stop()` cleans up what started. */
  async start(): Promise<void> {
    if (this.#stopping !== undefined) throw new Error('the runtime has been stopped');
    await this.#server?.start();
    for (const [name, factory] of this.#factories) {
      const job = factory(this.deps);
      this.#jobs.set(name, job);
      job.start();
    }
  }

  /**
   * Stops everything, once (a second call waits for the first): each step runs even when an earlier one failed, so
   * the database is closed whatever happened; the first failure is thrown at the end.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #stopAll(): Promise<void> {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<void> | undefined) => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await attempt(() => this.#server?.stop());
    await Promise.all([...this.#jobs.values()].map((job) => attempt(() => job.stop())));
    this.#jobs.clear();
    for (const resource of this.#resources.reverse()) await attempt(() => resource.close());
    if (failures.length > 0) throw failures[0];
  }
}
