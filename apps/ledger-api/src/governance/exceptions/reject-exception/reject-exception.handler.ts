import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';
import { ExceptionWritten, writtenAnswer } from '../exception-view';
import { RejectExceptionCommand } from './reject-exception.command';

@CommandHandler(RejectExceptionCommand)
export class RejectExceptionHandler implements ICommandHandler<RejectExceptionCommand, ExceptionWritten> {
  constructor(
    private readonly streams: ExceptionStreams,
    private readonly registry: ExceptionRegistry,
  ) {}

  async execute(command: RejectExceptionCommand): Promise<ExceptionWritten> {
    const now = new Date().toISOString();
    const [stored] = await this.streams.execute(
      command.exceptionId,
      { type: 'RejectException', reviewer: command.actor, reason: command.reason, now },
      command.context,
    );
    const { catalog } = await this.registry.current();
    return writtenAnswer(stored, catalog.exceptions.get(command.exceptionId)!);
  }
}
