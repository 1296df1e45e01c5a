/**
 * The part of autocannon@9's programmatic API the benchmarks use (the package ships no types). Latencies are in
 * milliseconds, throughput in bytes per second, `duration` in seconds.
 */
declare module 'autocannon' {
  namespace autocannon {
    /** Options of one load run. */
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      pipelining?: number;
      headers?: Record<string, string>;
    }

    /** A histogram summary as autocannon reports it. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
    }

    /** The aggregated result of one run. */
    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      latency: Histogram;
      requests: Histogram & { sent: number };
      throughput: Histogram;
    }
  }

  /** Runs a load test; resolves when it is done. */
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;

  export = autocannon;
}
