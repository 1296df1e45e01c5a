import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../errors.js';
import type { StreamAnalytics } from '../analytics/stream-analytics.js';

/** What the stream-analytics routes are built from. */
export interface StreamAnalyticsPluginOptions {
  analytics: StreamAnalytics;
  /** The largest building file accepted, in bytes. */
  bodyLimit: number;
}

/** Media types a building file may be sent with (CQD's file is CSV or TSV). */
const BUILDING_MEDIA_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain'];

/**
 * The stream table's routes under `/api` (docs/api.md, docs/analytics.md): `PUT /api/buildings` (an administrator's
 * building file, replacing the stored one), `GET /api/buildings`, `GET /api/analytics/missing-subnets` and
 * `GET /api/analytics/status`.
 */
export const streamAnalyticsPlugin: FastifyPluginAsync<StreamAnalyticsPluginOptions> = async (api, options) => {
  const { analytics } = options;
  // Errors reach the root's handler (the same installErrorHandler); the not-found handler of `/api` is apiPlugin's,
  // since Fastify allows one per prefix.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser(
    BUILDING_MEDIA_TYPES,
    { parseAs: 'string', bodyLimit: options.bodyLimit },
    (_r, body, done) => done(null, body),
  );

  api.put('/buildings', async (request) => {
    const body = request.body;
    if (typeof body !== 'string' || body.trim() === '') {
      throw new AppError('invalidBuildingFile', 'The request body holds no building file (text/csv or TSV).');
    }
    return analytics.importBuildings(body);
  });

  api.get('/buildings', async () => ({ value: await analytics.buildings() }));

  api.get<{ Querystring: { minAudioStreams?: string } }>('/analytics/missing-subnets', async (request) => {
    const raw = request.query.minAudioStreams;
    if (raw !== undefined && !/^\d{1,9}$/.test(raw)) {
      throw new AppError('BadRequest', `minAudioStreams '${raw}' is not a whole number.`);
    }
    return analytics.missingSubnets(raw === undefined ? undefined : Number(raw));
  });

  api.get('/analytics/status', async () => analytics.status());
};
