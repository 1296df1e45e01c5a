import type { FastifyInstance } from 'fastify';
import type { Fetch } from '../../src/runtime/runtime.js';
import type { FakeClock } from '../../src/fake-clock.js';
import { createTestApp, ingest } from './test-app.js';

/** The base URL the fake Graph answers under (the collector's `--graph-url`). */
export const FAKE_GRAPH_URL = 'http://graph.test';

/** One request the fake Graph received: its URL (path and query) and the clock's time. */
export interface SeenRequest {
  url: string;
  at: number;
  status: number;
}

/** A fault to answer instead of Graph, chosen per request; undefined lets Graph answer. */
export type Fault = (url: string, n: number) => Response | 'network' | undefined;

/**
 * A small Graph for the collector's tests: the archive's own Graph read API (list, get, expand, paging at 60 and
 * 130) over records POSTed to it, reached through a `fetch` that counts every request on a FakeClock and can answer
 * with faults instead (429s, 503s, 404 until ready, network errors).
 */
export class FakeGraph {
  readonly seen: SeenRequest[] = [];
  faults: Fault[] = [];
  private count = 0;

  private constructor(
    readonly app: FastifyInstance,
    private readonly closeApp: () => Promise<void>,
    private readonly clock: FakeClock,
  ) {}

  /** A fake Graph holding `records`. */
  static async create(records: unknown[], clock: FakeClock): Promise<FakeGraph> {
    const { app, close } = await createTestApp();
    const graph = new FakeGraph(app, close, clock);
    if (records.length > 0) await graph.put(records);
    return graph;
  }

  /** Adds or replaces records (a new version replaces the old one in what Graph serves). */
  async put(records: unknown[]): Promise<void> {
    const res = await ingest(this.app, records);
    if (res.status !== 200) throw new Error(`fake graph: ingest answered ${res.status}: ${JSON.stringify(res.json)}`);
  }

  /** The fetch the collector is given. */
  readonly fetch: Fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname + url.search;
    const n = this.count++;
    for (const fault of this.faults) {
      const answer = fault(path, n);
      if (answer === 'network') {
        this.seen.push({ url: path, at: this.clock.now().getTime(), status: 0 });
        throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      }
      if (answer !== undefined) {
        this.seen.push({ url: path, at: this.clock.now().getTime(), status: answer.status });
        return answer;
      }
    }
    const res = await this.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: path,
      headers: { host: url.host },
    });
    this.seen.push({ url: path, at: this.clock.now().getTime(), status: res.statusCode });
    return new Response(res.rawPayload, { status: res.statusCode, headers: { 'content-type': 'application/json' } });
  };

  /** Requests whose URL contains `text`. */
  requestsFor(text: string): SeenRequest[] {
    return this.seen.filter((r) => decodeURIComponent(r.url).includes(text));
  }

  close(): Promise<void> {
    return this.closeApp();
  }
}

/** A Graph error answer (https://learn.microsoft.com/graph/errors) with optional headers. */
export function graphError(status: number, code: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message: code } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * Resolves `work` while advancing the fake clock in steps whenever a timer waits (the collector's waits are on that
 * clock); while only I/O is pending (a database), time stands still.
 */
export async function settle<T>(clock: FakeClock, work: Promise<T>, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = work.finally(() => (done = true));
  tracked.catch(() => undefined);
  while (!done) {
    if (clock.pendingTimers > 0) {
      // A real millisecond first, so an answer the work awaits from a database arrives before the fake clock moves:
      // otherwise simulated time races ahead while PostgreSQL answers (a lease timer is always pending).
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!done) await clock.advance(stepMs);
    } else await new Promise((resolve) => setImmediate(resolve));
  }
  return tracked;
}
