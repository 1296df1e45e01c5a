import type { CallRecordStore } from '../storage/store.js';
import { ContainedReader } from './contained-reader.js';
import { RecordReader } from './record-reader.js';
import { SkipTokenCodec } from './skip-token.js';

/** The read services behind the Graph API, sharing one store and one skip-token key. */
export interface GraphReaders {
  records: RecordReader;
  contained: ContainedReader;
}

const SKIP_TOKEN_KEY = 'skiptoken-key';

/** Builds the readers; the skip-token key comes from the store so every instance on one database shares it. */
export async function createGraphReaders(store: CallRecordStore): Promise<GraphReaders> {
  const key = await store.sharedSecret(SKIP_TOKEN_KEY, SkipTokenCodec.newKey);
  const tokens = new SkipTokenCodec(Buffer.from(key, 'base64url'));
  const records = new RecordReader(store, tokens);
  return { records, contained: new ContainedReader(store, tokens, records) };
}
