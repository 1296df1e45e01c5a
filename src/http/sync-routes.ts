import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../clock.js';
import type { SyncStatus } from '../collector/sync-status.js';
import { installErrorHandler } from './error-handler.js';

/** What the sync surface is built from. */
export interface SyncPluginOptions {
  status: SyncStatus;
  clock: Clock;
}

/**
 * The collector's status, registered with the prefix `/api/sync`: `GET /api/sync/status` (docs/graph-sync.md,
 * "Status"; docs/api.md). It reads the database, so every instance answers the same, with or without `--sync`.
 */
export const syncPlugin: FastifyPluginAsync<SyncPluginOptions> = async (api, options) => {
  installErrorHandler(api, options.clock);
  api.get('/status', async () => options.status.report());
};
