import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as postgresPartitions from './0002-postgres-partitions.js';
import * as completeness from './0003-completeness.js';
import * as syncState from './0004-sync-state.js';
import * as subscriptions from './0005-subscriptions.js';
import * as keysAudit from './0006-keys-audit.js';
import * as privacy from './0007-privacy.js';
import * as callLogs from './0009-call-logs.js';
import * as streams from './0008-streams.js';
import * as analyticsRollups from './0010-analytics-rollups.js';
import * as callLogPrivacy from './0012-call-log-privacy.js';
import * as streamRollupDay from './0013-stream-rollup-day.js';

/**
 * The migrations, in order. Each lives in its own file; listing them here (rather than reading the folder at run
 * time) makes them work the same from the TypeScript sources and from the compiled `dist/`.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-postgres-partitions': postgresPartitions,
  '0003-completeness': completeness,
  '0004-sync-state': syncState,
  '0005-subscriptions': subscriptions,
  '0006-keys-audit': keysAudit,
  '0007-privacy': privacy,
  '0009-call-logs': callLogs,
  '0008-streams': streams,
  '0010-analytics-rollups': analyticsRollups,
  '0012-call-log-privacy': callLogPrivacy,
  '0013-stream-rollup-day': streamRollupDay,
};

/** Hands Kysely's Migrator the migrations above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
