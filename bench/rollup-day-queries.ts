/**
 * The overview's two call and failure queries (dashboard/src/pages/overview.ts: `calls,streams,failures` and
 * `setupFailures,drops`, by day, over a period) timed on an existing archive, each run `RUNS` times after a first
 * one (medians), with the table that answered. `node --import tsx bench/rollup-day-queries.ts <sqlite:file|postgres
 * url> [from] [to]`; opening the database applies pending migrations (0013 builds stream_rollup_day).
 */
import { analyticsQueryOf } from '../src/analytics/query/query-request.js';
import { openDatabase } from '../src/storage/open-database.js';

const [url, from = '2026-11-01', to = '2026-12-01'] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: rollup-day-queries.ts <database url> [from] [to]');
const RUNS = 5;
const filter = `date ge ${from} and date lt ${to}`;

const opened = performance.now();
const db = await openDatabase(url);
console.log(`opened (and migrated) in ${Math.round(performance.now() - opened)} ms`);
try {
  for (const measures of ['calls,streams,failures', 'setupFailures,drops']) {
    const query = analyticsQueryOf({ measures, by: 'day', filter });
    const times: number[] = [];
    let source = '';
    let rows = 0;
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      const table = await db.analytics.aggregate(query);
      if (i > 0) times.push(performance.now() - start);
      source = table.source;
      rows = table.rows.length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `measures=${measures}&by=day&filter=${filter}: median ${median.toFixed(1)} ms ` +
        `(${times.map((t) => t.toFixed(0)).join(', ')}), ${rows} rows, from ${source}`,
    );
  }
} finally {
  await db.close();
}
