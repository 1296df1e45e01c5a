import type { Fetch } from '../../src/runtime/runtime.js';

/** How the fake subscriber answers Graph's validation handshake. */
export type HandshakeMode = 'echo' | 'encoded' | 'status500' | 'hang';

/**
 * A subscriber to change notifications, as a `fetch` the archive calls: it answers the validation handshake as told
 * (`echo` is the correct answer) and keeps every notification POSTed to it, or refuses connections while `down`.
 */
export class FakeSubscriber {
  handshake: HandshakeMode = 'echo';
  down = false;
  /** Every notification item received, with the URL it was POSTed to. */
  readonly received: { url: string; item: Record<string, unknown> }[] = [];
  /** The validation requests seen: URL and content type. */
  readonly validations: { url: string; contentType: string | null }[] = [];
  posts = 0;

  readonly fetch: Fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      this.validations.push({ url: url.href, contentType: new Headers(init?.headers).get('content-type') });
      if (this.handshake === 'hang') {
        return new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        );
      }
      if (this.handshake === 'status500') return new Response('no', { status: 500 });
      const body = this.handshake === 'echo' ? token : encodeURIComponent(token);
      return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
    }
    this.posts++;
    if (this.down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const { value } = JSON.parse(String(init?.body)) as { value: Record<string, unknown>[] };
    for (const item of value) this.received.push({ url: url.href, item });
    return new Response(null, { status: 202 });
  };
}
