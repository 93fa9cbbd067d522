import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedRequest } from '../access/access.guard';
import type { WriteContext } from '../ingestion/record-events/record-events.command';

function header(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first.slice(0, 200) : undefined;
}

/**
 * Who is writing and why, for every event a request makes the ledger write:
 * the request id (`x-request-id`, else a fresh one) is the causation, the
 * caller's `x-correlation-id` (else the request id) the correlation, and the
 * API key's name the writer.
 */
export const RequestWriteContext = createParamDecorator((_: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const requestId = header(request, 'x-request-id') ?? randomUUID();
  return {
    causationId: requestId,
    correlationId: header(request, 'x-correlation-id') ?? requestId,
    ...(request.principal && { writtenBy: request.principal.keyName }),
  };
});
