import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';
import { ExceptionWritten, writtenAnswer } from '../exception-view';
import { RevokeExceptionCommand } from './revoke-exception.command';

@CommandHandler(RevokeExceptionCommand)
export class RevokeExceptionHandler implements ICommandHandler<RevokeExceptionCommand, ExceptionWritten> {
  constructor(
    private readonly streams: ExceptionStreams,
    private readonly registry: ExceptionRegistry,
  ) {}

  async execute(command: RevokeExceptionCommand): Promise<ExceptionWritten> {
    const now = new Date().toISOString();
    const [stored] = await this.streams.execute(
      command.exceptionId,
      { type: 'RevokeException', revokedBy: command.actor, reason: command.reason, now },
      command.context,
    );
    const { catalog } = await this.registry.current();
    return writtenAnswer(stored, catalog.exceptions.get(command.exceptionId)!);
  }
}
