import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';
import { ExceptionWritten, writtenAnswer } from '../exception-view';
import { ReviewExceptionCommand } from './review-exception.command';

@CommandHandler(ReviewExceptionCommand)
export class ReviewExceptionHandler implements ICommandHandler<ReviewExceptionCommand, ExceptionWritten> {
  constructor(
    private readonly streams: ExceptionStreams,
    private readonly registry: ExceptionRegistry,
  ) {}

  async execute({ exceptionId, review, context }: ReviewExceptionCommand): Promise<ExceptionWritten> {
    const [stored] = await this.streams.execute(exceptionId, { ...review, now: new Date().toISOString() }, context);
    const { catalog } = await this.registry.current();
    return writtenAnswer(stored, catalog.exceptions.get(exceptionId)!);
  }
}
