/** The signals that ask a server to shut down gracefully. */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The part of `process` that delivers signals (tests pass an EventEmitter). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * Catches SIGINT and SIGTERM from the moment it is made, so that a signal that arrives while the server starts is
 * kept (a demo load or migration is never cut in half, and the database is always closed) and acted on once
 * `first()` is awaited. There is one listener from start to end, so no signal falls between two. A second signal,
 * while starting (a migration lock or an unreachable database can hold the start for long) or while shutting down,
 * is not caught: it is raised again with the catching undone, so its default action ends the process at once.
 */
export class ShutdownSignals {
  #first: NodeJS.Signals | undefined;
  #received: Promise<NodeJS.Signals>;
  readonly #catch: (signal: NodeJS.Signals) => void;

  constructor(
    private readonly source: SignalSource = process,
    raise: (signal: NodeJS.Signals) => void = (signal) => process.kill(process.pid, signal),
  ) {
    let resolve!: (signal: NodeJS.Signals) => void;
    this.#received = new Promise((r) => (resolve = r));
    this.#catch = (signal) => {
      if (this.#first !== undefined) {
        this.release();
        raise(signal);
        return;
      }
      this.#first = signal;
      resolve(signal);
    };
    for (const signal of SHUTDOWN_SIGNALS) source.on(signal, this.#catch);
  }

  /** Resolves to the first signal caught; from then on that signal is no longer caught. */
  async first(): Promise<NodeJS.Signals> {
    const signal = await this.#received;
    this.source.off(signal, this.#catch);
    return signal;
  }

  /** Stops catching both signals. */
  release(): void {
    for (const signal of SHUTDOWN_SIGNALS) this.source.off(signal, this.#catch);
  }
}
