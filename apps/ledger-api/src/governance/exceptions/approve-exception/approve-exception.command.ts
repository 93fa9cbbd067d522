import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '@ledger/core';
import { ExceptionWritten } from '../exception-view';

export class ApproveExceptionCommand extends Command<ExceptionWritten> {
  constructor(
    readonly exceptionId: string,
    /** The API key's name. */
    readonly actor: string,
    readonly note: string,
    readonly expiresAt: string | undefined,
    readonly context: WriteContext,
  ) {
    super();
  }
}
