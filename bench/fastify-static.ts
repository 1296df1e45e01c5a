/**
 * A second floor of the GET benchmark: Fastify (the framework callrecords serves with) answering every request with
 * the same bytes and content type, with its logger off. Between it and plain `node:http` is what the framework
 * costs; between it and callrecords is what the service's own work costs. Run as a child process:
 * `node --import tsx bench/fastify-static.ts <body-file> <content-type> <port>`.
 */
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

const [bodyFile, contentType, port] = process.argv.slice(2);
if (bodyFile === undefined || contentType === undefined || port === undefined) {
  process.stderr.write('usage: fastify-static.ts <body-file> <content-type> <port>\n');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => {
  void reply.header('content-type', contentType).send(body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
