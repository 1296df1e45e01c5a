import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

const MAC_BYTES = 12;

/** What a skip token remembers: where the next page starts, for which query. */
export type SkipTokenState =
  | { kind: 'records'; startKey: string; id: string; query: string }
  | { kind: 'sessions'; recordId: string; contentHash: string; ordinal: number; query: string }
  | { kind: 'participants'; recordId: string; contentHash: string; ordinal: number; query: string }
  | { kind: 'callLogs'; timeKey: string; rowKey: string; query: string }
  | { kind: 'callLogReport'; offset: number; query: string };

/**
 * Encodes and checks `$skiptoken` values: base64url JSON with an HMAC, so a token is opaque to clients, and a tampered
 * or foreign token is refused with 400 instead of silently returning a different page. The key is shared through
 * the store, so every instance on one database accepts the others' tokens.
 */
export class SkipTokenCodec {
  constructor(private readonly key: Buffer) {}

  /** A fresh random key, encoded for storage. */
  static newKey(): string {
    return randomBytes(32).toString('base64url');
  }

  encode(state: SkipTokenState): string {
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** Returns the state of a token made by `encode` for the same kind and query, or throws invalidSkipToken. */
  decode<K extends SkipTokenState['kind']>(
    token: string,
    kind: K,
    query: string,
  ): Extract<SkipTokenState, { kind: K }> {
    const [body, mac, extra] = token.split('.');
    if (body === undefined || mac === undefined || extra !== undefined) throw invalid();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SkipTokenState;
    if (state.kind !== kind || state.query !== query) {
      throw new AppError(
        'invalidSkipToken',
        'The $skiptoken belongs to a different request; follow @odata.nextLink as given.',
      );
    }
    return state as Extract<SkipTokenState, { kind: K }>;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}

function invalid(): AppError {
  return new AppError('invalidSkipToken', 'The $skiptoken is not valid; follow @odata.nextLink as given.');
}
