import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_MEDIA_TYPE } from './problem-details';
import { CORRELATION_ID_HEADER, correlationIdOf, REQUEST_ID_HEADER } from './request-ids';

/** What the router refuses before any route, hook or guard runs, as a 4xx the caller can act on. */
function statusOf(error: { code?: string; statusCode?: number }): number {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return 414;
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  return 400;
}

/**
 * Fastify's `frameworkErrors`: a path parameter too long or a URL that does not
 * decode. No onRequest hook has run, so the ids and security headers are set here.
 */
export function answerFrameworkError(
  error: Error & { code?: string; statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
  securityHeaders: Record<string, string>,
): void {
  const status = statusOf(error);
  const detail =
    status === 414
      ? 'a path segment of the URL is too long; identifiers are at most 200 characters'
      : 'the URL is not valid: a path segment does not decode as UTF-8 percent-encoding';
  reply
    .headers(securityHeaders)
    .header(REQUEST_ID_HEADER, request.id)
    .header(CORRELATION_ID_HEADER, correlationIdOf(request.raw))
    .code(status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      ...problem({
        status,
        code: status === 414 ? 'uri-too-long' : 'invalid-request',
        detail,
        errors: [{ field: 'path', reason: detail }],
      }),
      instance: request.url.split('?')[0].slice(0, 2048),
      requestId: String(request.id),
    });
}

/**
 * Malformed HTTP (a bad request line, headers too large): Node refuses it below
 * Fastify; the answer is still a problem document with the security headers.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket, securityHeaders: Record<string, string>): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason =
    status === 431
      ? 'the request headers are too large'
      : status === 408
        ? 'the request took too long to arrive'
        : 'the request is not valid HTTP';
  const body = JSON.stringify(problem({ status, code: 'invalid-request', detail: reason }));
  const headers = Object.entries(securityHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `content-type: ${PROBLEM_MEDIA_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${headers}\r\n${body}`,
  );
}
