import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { EventStoreUnavailableError } from '@ledger/event-store';
import { ReadModelUnavailableError } from '@ledger/read-models';
import { DomainRuleViolation } from '@ledger/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotencyKeyMismatchError, InvalidEventsError, LedgerConflictError, NotFoundError, PayloadTooLargeError } from '@ledger/core';
import { problem, PROBLEM_MEDIA_TYPE, ProblemDetails, problemFromExceptionBody } from './problem-details';
import { JsonBoundsError } from './json-bounds';
import { InvalidQueryError, READ_MODEL_RETRY_AFTER_SECONDS, ReadModelBehindError } from '@ledger/core';

export const RETRY_AFTER_SECONDS = 5;

interface ErrorResponse {
  problem: ProblemDetails;
  headers?: Record<string, string>;
}

function describe(error: unknown): ErrorResponse | undefined {
  if (error instanceof InvalidEventsError) {
    return {
      problem: problem({
        status: 400,
        code: 'invalid-events',
        detail: error.message,
        errors: error.issues,
        extensions: { errorCount: error.issueCount },
      }),
    };
  }
  if (error instanceof JsonBoundsError) {
    return {
      problem: problem({
        status: error.statusCode,
        code: error.statusCode === 413 ? 'payload-too-large' : 'invalid-request',
        detail: `the request body is refused before parsing: ${error.message}`,
        errors: [{ field: error.field, reason: error.reason }],
      }),
    };
  }
  if (error instanceof IdempotencyKeyMismatchError) {
    return {
      problem: problem({
        status: 422,
        code: 'idempotency-key-mismatch',
        detail: error.message,
        errors: [{ field: 'Idempotency-Key', reason: 'was used before by this API key with a different request body' }],
      }),
    };
  }
  if (error instanceof LedgerConflictError) {
    return { problem: problem({ status: 409, code: error.code, detail: error.message, extensions: { conflicts: error.details } }) };
  }
  if (error instanceof DomainRuleViolation) {
    return { problem: problem({ status: 409, code: error.code, detail: error.message }) };
  }
  if (error instanceof PayloadTooLargeError) {
    return { problem: problem({ status: 413, code: 'payload-too-large', detail: error.message }) };
  }
  if (error instanceof NotFoundError) {
    return { problem: problem({ status: 404, code: 'not-found', detail: error.message }) };
  }
  if (error instanceof InvalidQueryError) {
    return {
      problem: problem({
        status: 400,
        code: 'invalid-request',
        detail: 'invalid request parameters',
        errors: [{ field: error.field, reason: error.reason }],
      }),
    };
  }
  if (error instanceof ReadModelBehindError) {
    return {
      problem: problem({
        status: 503,
        code: 'read-model-behind',
        detail: error.message,
        extensions: { minPosition: error.minPosition, position: error.position },
      }),
      headers: { 'Retry-After': String(READ_MODEL_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof ReadModelUnavailableError) {
    return {
      problem: problem({
        status: 503,
        code: 'read-models-unavailable',
        detail: `the read models are unavailable; writes are still recorded, retry the read later (${error.message})`,
      }),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof EventStoreUnavailableError) {
    return {
      problem: problem({
        status: 503,
        code: 'store-unavailable',
        detail: `the event store is unavailable; retry the same request later (${error.message})`,
      }),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof HttpException) return { problem: problemFromExceptionBody(error.getStatus(), error.getResponse()) };
  // Fastify's own refusals (malformed JSON, body too large, unknown content type) carry a 4xx statusCode.
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { problem: problem({ status, detail: (error as Error).message }) };
  }
  return undefined;
}

/**
 * The one place errors become HTTP answers, all as RFC 9457 problem details.
 * Headers set before the throw (Retry-After from the throttler, WWW-Authenticate
 * from the key guard) stay on the reply. Anything unknown is a 500 whose
 * details stay in the log, not in the response.
 */
@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    let known = describe(error);
    if (!known) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      known = { problem: problem({ status: 500, code: 'internal', detail: 'internal error; the request id finds it in the log' }) };
    }
    for (const [name, value] of Object.entries(known.headers ?? {})) reply.header(name, value);
    const body: ProblemDetails = {
      ...known.problem,
      ...(request?.url && { instance: request.url.split('?')[0] }),
      ...(request?.id && { requestId: String(request.id) }),
    };
    reply.status(body.status).type(PROBLEM_MEDIA_TYPE).send(body);
  }
}
