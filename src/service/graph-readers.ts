import { CallLogReader } from '../call-logs/call-log-reader.js';
import type { CallLogStore, MetaStore, RecordStore } from '../storage/roles.js';
import { ContainedReader } from './contained-reader.js';
import { RecordReader } from './record-reader.js';
import { SkipTokenCodec } from './skip-token.js';

/** The read services behind the Graph API, sharing one store and one skip-token key. */
export interface GraphReaders {
  records: RecordReader;
  contained: ContainedReader;
  /** The telephony functions (getPstnCalls, …) over the call logs. */
  callLogs: CallLogReader;
}

const SKIP_TOKEN_KEY = 'skiptoken-key';

/**
 * Builds the readers over the records and the call logs; the skip-token key comes from the database's meta role, so
 * every instance on one database shares it. `graphStrict` restores Graph's 90-day limit on the telephony functions.
 */
export async function createGraphReaders(
  store: RecordStore,
  meta: MetaStore,
  callLogs: CallLogStore,
  graphStrict = false,
): Promise<GraphReaders> {
  const key = await meta.sharedSecret(SKIP_TOKEN_KEY, SkipTokenCodec.newKey);
  const tokens = new SkipTokenCodec(Buffer.from(key, 'base64url'));
  const records = new RecordReader(store, tokens);
  return {
    records,
    contained: new ContainedReader(store, tokens, records),
    callLogs: new CallLogReader(callLogs, tokens, graphStrict),
  };
}
