import type { FastifyInstance } from 'fastify';
import { metadataDocument } from '../odata/metadata-document.js';

/** The content type of the metadata document: CSDL XML, as the OData spec and graph.microsoft.com serve it. */
const METADATA_CONTENT_TYPE = 'application/xml;charset=utf-8';

/**
 * Serves `GET /$metadata` in the Graph surface of `version` (prefixed `/{version}`): the CSDL of the callRecords
 * namespace, where every `@odata.context` points
 * (https://learn.microsoft.com/graph/traverse-the-graph#microsoft-graph-api-metadata). Query options are ignored.
 */
export function registerMetadataRoutes(graph: FastifyInstance, version: 'v1.0' | 'beta'): void {
  // Read once at start: a missing file is a broken installation and should stop the server, not a request.
  const document = metadataDocument(version);
  graph.get('/$metadata', async (_request, reply) => {
    void reply.header('content-type', METADATA_CONTENT_TYPE).send(document);
  });
}
