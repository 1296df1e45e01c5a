/**
 * The floor of the GET benchmark: a plain `node:http` server that answers every request with the same bytes and
 * content type. Run as a child process: `node --import tsx bench/static-server.ts <body-file> <content-type> <port>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile, contentType, port] = process.argv.slice(2);
if (bodyFile === undefined || contentType === undefined || port === undefined) {
  process.stderr.write('usage: static-server.ts <body-file> <content-type> <port>\n');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
