import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip member (RFC 1952, section 2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The bytes of `input`, decompressed as they stream when they start with the gzip magic bytes (whatever the file is
 * called), else passed on unchanged. Memory stays flat: zlib holds one window, not the file.
 */
export async function* gunzipIfCompressed(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const source = input[Symbol.asyncIterator]();
  // Enough bytes to see the magic: a pipe may hand over a single byte first.
  let head = Buffer.alloc(0);
  while (head.length < GZIP_MAGIC.length) {
    const next = await source.next();
    if (next.done === true) break;
    head = Buffer.concat([head, toBuffer(next.value)]);
  }
  if (head.length === 0) return;
  const rest = (async function* () {
    yield head;
    for (let next = await source.next(); next.done !== true; next = await source.next()) yield toBuffer(next.value);
  })();
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* rest;
    return;
  }
  const gunzip = createGunzip();
  // A failure of either side ends the iteration below with that error.
  Readable.from(rest)
    .on('error', (error) => gunzip.destroy(error))
    .pipe(gunzip);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}
