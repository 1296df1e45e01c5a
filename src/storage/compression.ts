import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

// Quality 1 compresses call-record JSON about 7:1 at ~300 MB/s: measured to cost no import time, since it saves as
// much in database writes as it spends (bench/RESULTS.md, History).
const OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

/** How history keeps each version's JSON: brotli-compressed UTF-8, a seventh of the text's size. */
export function compressJson(text: string): Buffer {
  return brotliCompressSync(text, {
    ...OPTIONS,
    params: { ...OPTIONS.params, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
  });
}

/** The JSON text that `compressJson` kept. */
export function decompressJson(stored: Buffer): string {
  return brotliDecompressSync(stored).toString('utf8');
}
