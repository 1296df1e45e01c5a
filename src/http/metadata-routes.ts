import type { FastifyInstance } from 'fastify';
import { metadataDocument } from '../odata/metadata-document.js';

/** The content type of the metadata document: CSDL XML, as the OData spec and graph.microsoft.com serve it. */
export const METADATA_CONTENT_TYPE = 'application/xml;charset=utf-8';

/**
 * Serves `GET /{version}/$metadata`: the CSDL of the callRecords namespace, where every `@odata.context` points
 * (https://learn.microsoft.com/graph/traverse-the-graph#microsoft-graph-api-metadata). Query options are ignored.
 */
export function registerMetadataRoutes(app: FastifyInstance, versions: readonly ('v1.0' | 'beta')[]): void {
  for (const version of versions) {
    // Read once at start: a missing file is a broken installation and should stop the server, not a request.
    const document = metadataDocument(version);
    // Clients that percent-encode the `$` reach the same document.
    for (const segment of ['$metadata', '%24metadata']) {
      app.get(`/${version}/${segment}`, async (_request, reply) => {
        void reply.header('content-type', METADATA_CONTENT_TYPE).send(document);
      });
    }
  }
}
