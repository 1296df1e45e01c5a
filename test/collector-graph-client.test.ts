/**
 * The collector's Graph client (src/collector/graph-client.ts): budgets, 429 with Retry-After, 503, network errors
 * and 5xx with back-off, token renewal after a 401; and the MSAL token source against a non-default authority host.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../src/fake-clock.js';
import { GraphClient, GraphRequestError } from '../src/collector/graph-client.js';
import { GRAPH_LIMITS, RequestBudget } from '../src/collector/request-budget.js';
import { msalTokenSource } from '../src/collector/token-source.js';
import type { Fetch } from '../src/runtime/runtime.js';
import { FAKE_GRAPH_URL, FakeGraph, graphError, settle } from './helpers/fake-graph.js';
import { makeRecord } from './helpers/records.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const T0 = Date.UTC(2024, 2, 2);

function clientOf(graph: FakeGraph, clock: FakeClock, extra: { refreshes?: number[]; throttled?: number[] } = {}) {
  let issued = 0;
  return new GraphClient({
    graphUrl: FAKE_GRAPH_URL,
    tokens: {
      token: async (refresh = false) => {
        if (refresh) extra.refreshes?.push(clock.now().getTime());
        return `token-${refresh ? ++issued : issued}`;
      },
    },
    fetch: graph.fetch,
    clock,
    budget: new RequestBudget(),
    log: silent,
    random: () => 0.5,
    onThrottled: (at) => extra.throttled?.push(at),
  });
}

describe('graph client', () => {
  test('a 429 is retried after its fractional Retry-After, and counted', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([makeRecord({ id: 'r1' })], clock);
    try {
      graph.faults.push((_url, n) =>
        n === 0 ? graphError(429, 'TooManyRequests', { 'retry-after': '2.128' }) : undefined,
      );
      const throttled: number[] = [];
      const result = await settle(
        clock,
        clientOf(graph, clock, { throttled }).get('communications/callRecords/r1', ['app']),
        100,
      );
      assert.equal(result.found, true);
      assert.deepEqual(throttled, [T0]);
      const [first, second] = graph.seen;
      assert.deepEqual([first?.status, second?.status], [429, 200]);
      assert.ok(second!.at - first!.at >= 2128, `waited ${second!.at - first!.at} ms`);
    } finally {
      await graph.close();
    }
  });

  test('503, 500 and network errors are retried with back-off; a record not there is notFound', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([makeRecord({ id: 'r1' })], clock);
    try {
      graph.faults.push((_url, n) =>
        n === 0
          ? graphError(503, 'serviceNotAvailable', { 'retry-after': '3' })
          : n === 1
            ? 'network'
            : n === 2
              ? graphError(500, 'generalException')
              : undefined,
      );
      const client = clientOf(graph, clock);
      const result = await settle(clock, client.get('communications/callRecords/r1', ['app']), 100);
      assert.equal(result.found, true);
      assert.deepEqual(
        graph.seen.map((r) => r.status),
        [503, 0, 500, 200],
      );
      assert.ok(graph.seen[1]!.at - graph.seen[0]!.at >= 3000, 'the 503 Retry-After is honoured');
      assert.deepEqual(await settle(clock, client.get('communications/callRecords/nope', ['app'])), { found: false });
    } finally {
      await graph.close();
    }
  });

  test('a server error that persists fails the request after the last attempt', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([], clock);
    try {
      graph.faults.push(() => graphError(502, 'badGateway'));
      const work = clientOf(graph, clock).get('communications/callRecords/r1', ['app']);
      await assert.rejects(settle(clock, work), (e: unknown) => e instanceof GraphRequestError && e.status === 502);
      assert.equal(graph.seen.length, 6);
    } finally {
      await graph.close();
    }
  });

  test('a next link to another origin is refused: the token goes only to --graph-url', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([makeRecord({ id: 'r1' })], clock);
    try {
      const work = clientOf(graph, clock).get('https://attacker.example/v1.0/communications/callRecords', ['app']);
      await assert.rejects(work, (e: unknown) => e instanceof GraphRequestError && /refused/.test(e.message));
      assert.equal(graph.seen.length, 0, 'nothing was sent');
    } finally {
      await graph.close();
    }
  });

  test('a 401 renews the token once and repeats the request', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([makeRecord({ id: 'r1' })], clock);
    try {
      graph.faults.push((_url, n) => (n === 0 ? graphError(401, 'InvalidAuthenticationToken') : undefined));
      const refreshes: number[] = [];
      const result = await settle(
        clock,
        clientOf(graph, clock, { refreshes }).get('communications/callRecords/r1', ['app']),
      );
      assert.equal(result.found, true);
      assert.equal(refreshes.length, 1);
    } finally {
      await graph.close();
    }
  });

  test('requests for one record wait for its budget: never more than 40 in any 20 s', async () => {
    const clock = new FakeClock(new Date(T0));
    const graph = await FakeGraph.create([makeRecord({ id: 'r1' })], clock);
    try {
      const client = clientOf(graph, clock);
      const all = Promise.all(
        Array.from({ length: 100 }, () => client.get('communications/callRecords/r1', ['app', 'record:r1'])),
      );
      await settle(clock, all, 500);
      const times = graph.seen.map((r) => r.at).sort((a, b) => a - b);
      assert.equal(times.length, 100);
      for (let i = 0; i + GRAPH_LIMITS.record < times.length; i++) {
        assert.ok(times[i + GRAPH_LIMITS.record]! - times[i]! >= GRAPH_LIMITS.windowMs, `window at ${i}`);
      }
      assert.ok(times[99]! - times[0]! < 3 * GRAPH_LIMITS.windowMs, 'and no slower than the budget');
    } finally {
      await graph.close();
    }
  });
});

describe('request budget', () => {
  test('a paused key (after a 429) holds requests back until the pause ends', () => {
    const budget = new RequestBudget();
    assert.equal(budget.reserve(['app', 'list'], 0), 0);
    budget.pause('list', 5000);
    assert.equal(budget.reserve(['app', 'list'], 1000), 4000);
    assert.equal(budget.reserve(['app', 'record:x'], 1000), 0, 'other keys go on');
    assert.equal(budget.reserve(['app', 'list'], 5000), 0);
    assert.equal(budget.used('list', 5000), 2);
  });
});

describe('MSAL token source', () => {
  test('with a non-default authority host MSAL asks only that host, once, and caches the token', async () => {
    const seen: string[] = [];
    const fetch: Fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const where = new URL(url);
      seen.push(`${init?.method ?? 'GET'} ${where.origin}${where.pathname}`);
      if (where.origin + where.pathname === 'https://login.sim.test/tenant-1/oauth2/v2.0/token') {
        const body = String(init?.body);
        assert.match(body, /grant_type=client_credentials/);
        assert.match(body, /client_secret=s3cret/);
        assert.match(body, /scope=https%3A%2F%2Fgraph.sim.test%2F.default/);
        return Response.json({ token_type: 'Bearer', expires_in: 3599, access_token: 'sim-token' });
      }
      return new Response(`not here: ${url}`, { status: 404 });
    };
    const tokens = msalTokenSource(
      {
        tenantId: 'tenant-1',
        clientId: 'client-1',
        clientSecret: 's3cret',
        authorityHost: 'https://login.sim.test',
        graphUrl: 'https://graph.sim.test',
      },
      fetch,
    );
    assert.equal(await tokens.token(), 'sim-token');
    assert.equal(await tokens.token(), 'sim-token');
    assert.deepEqual(seen, ['POST https://login.sim.test/tenant-1/oauth2/v2.0/token']);
  });
});
