import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../access/access.guard';
import type { WriteContext } from '@ledger/core';
import { correlationIdOf, requestIdOf } from './request-ids';

/**
 * Who is writing and why, for every event a request makes the ledger write:
 * the request id (`x-request-id`, else a fresh one) is the causation, the
 * caller's `x-correlation-id` (else the request id) the correlation, and the
 * API key's name the writer. The log lines of the request carry the same two ids.
 */
export const RequestWriteContext = createParamDecorator((_: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return {
    causationId: requestIdOf(request.raw),
    correlationId: correlationIdOf(request.raw),
    ...(request.principal && { writtenBy: request.principal.keyName, writtenByKeyId: request.principal.keyId }),
  };
});
