import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { EventStoreUnavailableError } from '@ledger/event-store';
import { DomainRuleViolation } from '@ledger/domain';
import type { FastifyReply } from 'fastify';
import { InvalidEventsError, LedgerConflictError, NotFoundError, PayloadTooLargeError } from './api-errors';

export const RETRY_AFTER_SECONDS = 5;

interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

function describe(error: unknown): ErrorResponse | undefined {
  if (error instanceof InvalidEventsError) {
    return { status: 400, body: { error: 'invalid-events', message: error.message, errorCount: error.issueCount, errors: error.issues } };
  }
  if (error instanceof LedgerConflictError) {
    return { status: 409, body: { error: error.code, message: error.message, conflicts: error.details } };
  }
  if (error instanceof DomainRuleViolation) {
    return { status: 409, body: { error: error.code, message: error.message } };
  }
  if (error instanceof PayloadTooLargeError) {
    return { status: 413, body: { error: 'payload-too-large', message: error.message } };
  }
  if (error instanceof NotFoundError) {
    return { status: 404, body: { error: 'not-found', message: error.message } };
  }
  if (error instanceof EventStoreUnavailableError) {
    return {
      status: 503,
      body: { error: 'store-unavailable', message: 'the event store is unavailable; retry the same request later', detail: error.message },
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  return undefined;
}

/**
 * Maps the ledger's typed errors to HTTP. Anything unknown is a 500 whose
 * details stay in the log, not in the response.
 */
@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const known = describe(error);
    if (known) {
      for (const [name, value] of Object.entries(known.headers ?? {})) reply.header(name, value);
      reply.status(known.status).send({ statusCode: known.status, ...known.body });
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      reply.status(error.getStatus()).send(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    const status = (error as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      reply.status(status).send({ statusCode: status, message: (error as Error).message });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    reply.status(HttpStatus.INTERNAL_SERVER_ERROR).send({ statusCode: 500, error: 'internal', message: 'internal error' });
  }
}
