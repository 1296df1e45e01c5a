/**
 * Errors that Node's HTTP parser raises before Fastify sees a request — bad framing, a header block over 16 KiB, control
 * bytes in a header, a request that took too long to arrive — answered in the Graph error shape with a request id,
 * like every other error, by writing the raw response on the socket (Node's `clientError` event).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { ErrorCode } from '../errors.js';
import { ERROR_STATUS, graphErrorBody } from './error-response.js';

/**
 * The `clientError` listener: answers in the Graph shape when nothing of a response was sent yet, then closes. Fastify
 * calls it with the app as `this`.
 */
export function graphClientErrorHandler(
  clock: Clock,
): (this: { log: FastifyBaseLogger }, error: Error & { code?: string }, socket: Socket) => void {
  return function (error, socket) {
    // A reset connection has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { code, message } = describe(error);
    const requestId = randomUUID();
    this.log.info({ reqId: requestId, err: { code: error.code, message: error.message } }, 'refused at the HTTP level');
    // The parser may fail mid-response (a pipelined request after one being answered): then only close.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && inFlight?.headersSent !== true) {
      const status = ERROR_STATUS[code];
      const body = graphErrorBody(code, message, { requestId, clientRequestId: requestId, date: clock.now() });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
          'content-type: application/json; charset=utf-8\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          `request-id: ${requestId}\r\nclient-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

function describe(error: Error & { code?: string }): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'requestTimeout', message: 'The request did not arrive in time; the connection is closed.' };
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'headersTooLarge',
        message: 'The request line and headers are larger than the limit of 16 KiB.',
      };
    default:
      // llhttp's reason ("Invalid header value char") names the fault without echoing the request.
      return { code: 'BadRequest', message: `The request is not valid HTTP/1.1: ${error.message}.` };
  }
}
