import type { FastifyPluginAsync } from 'fastify';
import type { RecordStore } from '../storage/roles.js';

/** What the simulator's own routes read. */
export interface SimulatorRoutesOptions {
  /** Everything the simulator counts, as one JSON object. */
  stats: () => object | Promise<object>;
  records: Pick<RecordStore, 'exportRecords'>;
}

const PAGE = 500;

/**
 * The simulator's test surface, outside Graph's paths and without a token: `GET /_simulator/stats` (requests per
 * 20 s window, 429s and 503s sent, notifications sent and dropped, versions still to appear) and
 * `GET /_simulator/records`, the current version of every record visible so far as NDJSON (what
 * `callrecords export` writes for the simulator's database), to compare an archive with.
 */
export const simulatorRoutes: FastifyPluginAsync<SimulatorRoutesOptions> = async (app, options) => {
  app.get('/stats', async () => options.stats());
  app.get('/records', async (_request, reply) => {
    const lines: string[] = [];
    let after: { startKey: string; id: string } | undefined;
    for (;;) {
      const page = await options.records.exportRecords({}, after, PAGE);
      if (page.length === 0) break;
      for (const record of page) lines.push(`${record.rawJson}\n`);
      const last = page.at(-1)!;
      after = { startKey: last.startKey, id: last.id };
    }
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(lines.join(''));
  });
};
