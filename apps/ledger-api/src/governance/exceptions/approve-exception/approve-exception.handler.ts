import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';
import { ExceptionWritten, writtenAnswer } from '../exception-view';
import { ApproveExceptionCommand } from './approve-exception.command';

@CommandHandler(ApproveExceptionCommand)
export class ApproveExceptionHandler implements ICommandHandler<ApproveExceptionCommand, ExceptionWritten> {
  constructor(
    private readonly streams: ExceptionStreams,
    private readonly registry: ExceptionRegistry,
  ) {}

  async execute(command: ApproveExceptionCommand): Promise<ExceptionWritten> {
    const now = new Date().toISOString();
    const [stored] = await this.streams.execute(
      command.exceptionId,
      {
        type: 'ApproveException',
        reviewer: command.actor,
        note: command.note,
        ...(command.expiresAt !== undefined && { expiresAt: command.expiresAt }),
        now,
      },
      command.context,
    );
    const { catalog } = await this.registry.current();
    return writtenAnswer(stored, catalog.exceptions.get(command.exceptionId)!);
  }
}
