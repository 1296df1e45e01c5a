/**
 * The body parser of `POST /api/callRecords`: reads the body as it arrives into a BodyItemsReader, so that a body
 * holding too many records is refused after its first chunks instead of being held whole and parsed.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { BodyItemsReader, type BodyItems } from '../ingest/body-items.js';

/** Media types accepted by POST /api/callRecords, and how each body is split into records. */
const INGEST_MEDIA_TYPES = {
  json: ['application/json'],
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'],
} as const;

/**
 * Makes readIngestBody the only body parser of a surface (its encapsulated context), for the ingest media types: too
 * many records are refused before the rest is read, invalid UTF-8 is refused rather than replaced, and errors come
 * with line numbers. Any other media type is refused 415.
 */
export function registerIngestBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...INGEST_MEDIA_TYPES.json, ...INGEST_MEDIA_TYPES.ndjson], (request, payload, done) => {
    const options = {
      format: ingestFormat(request.headers['content-type']),
      bodyLimit,
      contentLength: request.headers['content-length'],
    };
    readIngestBody(payload, options).then(
      (body) => done(null, body),
      (error: Error) => done(error, undefined),
    );
  });
}

/**
 * Reads an ingest body of at most `bodyLimit` bytes into records. Over the limit it fails at once (like Fastify's own
 * parsers); any other refusal (too many records, invalid JSON or UTF-8) waits for the end of the body, reading and
 * discarding the rest, so that the client, still sending, receives the answer rather than a reset connection.
 */
function readIngestBody(
  payload: Readable,
  options: { format: 'json' | 'ndjson'; bodyLimit: number; contentLength: string | undefined },
): Promise<BodyItems> {
  const tooLarge = () =>
    new AppError('requestEntityTooLarge', `The request body is larger than the limit of ${options.bodyLimit} bytes.`);
  if (Number(options.contentLength) > options.bodyLimit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const reader = new BodyItemsReader(options.format);
    let received = 0;
    let refusal: unknown;
    const detach = () => payload.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    const stop = (error: unknown) => {
      detach();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.bodyLimit) return stop(tooLarge());
      if (refusal !== undefined) return; // the rest is read only to be discarded
      try {
        reader.feed(chunk);
      } catch (error) {
        refusal = error;
      }
    };
    const onEnd = () => {
      if (refusal !== undefined) return stop(refusal);
      try {
        const items = reader.end();
        detach();
        resolve(items);
      } catch (error) {
        stop(error);
      }
    };
    const onError = (error: Error) =>
      stop(new AppError('BadRequest', `The request body was not received whole: ${error.message}`));
    // A connection closed before the end (a timeout, a client gone) must not leave this promise pending.
    const onClose = () => onError(new Error('the connection closed before the end of the body'));
    payload.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** How a body of this content type is split into records: `ndjson` for the NDJSON media types, else `json`. */
export function ingestFormat(contentType: string | undefined): 'json' | 'ndjson' {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (INGEST_MEDIA_TYPES.ndjson as readonly string[]).includes(mediaType) ? 'ndjson' : 'json';
}
