import type { MetaStore, RecordStore } from '../storage/roles.js';
import { ContainedReader } from './contained-reader.js';
import { RecordReader } from './record-reader.js';
import { SkipTokenCodec } from './skip-token.js';

/** The read services behind the Graph API, sharing one store and one skip-token key. */
export interface GraphReaders {
  records: RecordReader;
  contained: ContainedReader;
}

const SKIP_TOKEN_KEY = 'skiptoken-key';

/**
 * Builds the readers over the records; the skip-token key comes from the database's meta role, so every instance on
 * one database shares it.
 */
export async function createGraphReaders(store: RecordStore, meta: MetaStore): Promise<GraphReaders> {
  const key = await meta.sharedSecret(SKIP_TOKEN_KEY, SkipTokenCodec.newKey);
  const tokens = new SkipTokenCodec(Buffer.from(key, 'base64url'));
  const records = new RecordReader(store, tokens);
  return { records, contained: new ContainedReader(store, tokens, records) };
}
