import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '@ledger/core';
import { ExceptionWritten } from '../exception-view';

export class RejectExceptionCommand extends Command<ExceptionWritten> {
  constructor(
    readonly exceptionId: string,
    /** The API key's name. */
    readonly actor: string,
    readonly reason: string,
    readonly context: WriteContext,
  ) {
    super();
  }
}
