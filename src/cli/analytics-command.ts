import { StreamAnalytics } from '../analytics/stream-analytics.js';
import { loadRuleSet } from '../analytics/rule-sets.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/** The options of `callrecords analytics rebuild|status`. */
export interface AnalyticsOptions extends DatabaseOptions {
  qualityRules: string;
}

/**
 * `analytics rebuild`: recreates the stream table from the stored JSON, classified by `--quality-rules` (which
 * becomes the stored rule set), with progress on stderr; prints what it did and resolves to 0.
 */
export async function analyticsRebuildCommand(
  opts: AnalyticsOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  const rules = loadRuleSet(opts.qualityRules);
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const analytics = new StreamAnalytics(database.streams, rules);
    const started = performance.now();
    let shown = 0;
    const result = await analytics.rebuild(rules, (records) => {
      if (records - shown >= 10_000) {
        shown = records;
        io.stderr.write(`callrecords: ${records} records rebuilt\n`);
      }
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `callrecords: stream table rebuilt with ${result.ruleSet}: ${result.streams} streams of ${result.records} records in ${seconds} s\n`,
    );
  } finally {
    await database.close();
  }
  return 0;
}

/** `analytics status`: the stored rule set (and `--quality-rules` when it differs), staleness and networks, as JSON. */
export async function analyticsStatusCommand(
  opts: AnalyticsOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const rules = loadRuleSet(opts.qualityRules);
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    out.write(`${JSON.stringify(await new StreamAnalytics(database.streams, rules).status())}\n`);
  } finally {
    await database.close();
  }
  return 0;
}
