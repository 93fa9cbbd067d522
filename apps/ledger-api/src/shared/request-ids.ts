import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What a caller may put in an id header: enough for UUIDs, W3C trace ids and the like, nothing that could forge a log line. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first !== undefined && ACCEPTED_ID.test(first) ? first : undefined;
}

type IdentifiedRequest = IncomingMessage & { id?: string; correlationId?: string };

/**
 * The request id: the caller's `x-request-id` when it is a plausible id, else
 * a fresh UUID. Fastify asks for it first; it is kept on the raw request so
 * that the HTTP log (pino-http) and the events the request writes (as their
 * causation id) use the same one.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const request = raw as IdentifiedRequest;
  request.id ??= headerValue(raw, REQUEST_ID_HEADER) ?? randomUUID();
  return request.id;
}

/** The caller's `x-correlation-id`, else the request id: it goes into the log and into every event the request writes. */
export function correlationIdOf(raw: IncomingMessage): string {
  const request = raw as IdentifiedRequest;
  request.correlationId ??= headerValue(raw, CORRELATION_ID_HEADER) ?? requestIdOf(raw);
  return request.correlationId;
}
