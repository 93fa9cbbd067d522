import { Command } from '@nestjs/cqrs';
import { AuthenticatorKind, ExceptionScope } from '@ledger/domain';
import type { WriteContext } from '@ledger/core';
import { ExceptionWritten } from '../exception-view';

export class RequestExceptionCommand extends Command<ExceptionWritten> {
  constructor(
    readonly exceptionId: string,
    readonly scope: ExceptionScope,
    readonly allowedMethods: AuthenticatorKind[],
    readonly justification: string,
    readonly requestedExpiresAt: string,
    readonly renews: string | undefined,
    /** The API key's name. */
    readonly requester: string,
    readonly context: WriteContext,
  ) {
    super();
  }
}
