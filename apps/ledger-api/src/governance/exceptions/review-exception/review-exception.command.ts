import { Command } from '@nestjs/cqrs';
import type { ApproveException, RejectException, RevokeException } from '@ledger/domain';
import type { WriteContext } from '@ledger/core';
import { ExceptionWritten } from '../exception-view';

type WithoutTime<C> = C extends unknown ? Omit<C, 'now'> : never;

/** What a reviewer decides about an exception: approve or reject a request, or revoke an approval. The handler stamps the time. */
export type ExceptionReview = WithoutTime<ApproveException | RejectException | RevokeException>;

export class ReviewExceptionCommand extends Command<ExceptionWritten> {
  constructor(
    readonly exceptionId: string,
    readonly review: ExceptionReview,
    readonly context: WriteContext,
  ) {
    super();
  }
}
