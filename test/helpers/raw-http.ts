import { connect } from 'node:net';

/** A response read off a raw socket: status, lower-case headers, body text and the body parsed as JSON if it is. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * Writes `request` as it is to 127.0.0.1:`port` (bytes no HTTP client would send), optionally followed by `then`
 * once connected, and reads until the server closes the connection. For one response per connection: send
 * `Connection: close`, or a request the server answers by closing.
 */
export function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
  });
}

/** Parses one HTTP/1.1 response with a Content-Length body (what the server writes for errors and small JSON). */
function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = end < 0 ? '' : Buffer.from(raw.slice(end + 4), 'latin1').toString('utf8');
  if (headers['content-length'] !== undefined) text = text.slice(0, Number(headers['content-length']));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, json };
}
