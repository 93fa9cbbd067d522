import { BadRequestException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { policyInForceAt, RenewedException } from '@ledger/domain';
import { PolicyHistoryStore } from '@ledger/core';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';
import { ExceptionWritten, writtenAnswer } from '../exception-view';
import { RequestExceptionCommand } from './request-exception.command';

@CommandHandler(RequestExceptionCommand)
export class RequestExceptionHandler implements ICommandHandler<RequestExceptionCommand, ExceptionWritten> {
  constructor(
    private readonly streams: ExceptionStreams,
    private readonly registry: ExceptionRegistry,
    private readonly policies: PolicyHistoryStore,
  ) {}

  async execute(command: RequestExceptionCommand): Promise<ExceptionWritten> {
    const existing = await this.streams.load(command.exceptionId);
    if (existing.state.status !== 'none') return this.replay(command.exceptionId);
    const { at: now, history } = await this.policies.snapshot(() => new Date().toISOString());
    const policy = policyInForceAt(history, now);
    const renews = command.renews === undefined ? undefined : await this.renewed(command.renews);
    const [stored] = await this.streams.execute(
      command.exceptionId,
      {
        type: 'RequestException',
        exceptionId: command.exceptionId,
        scope: command.scope,
        allowedMethods: command.allowedMethods,
        justification: command.justification,
        requester: command.requester,
        requestedExpiresAt: command.requestedExpiresAt,
        ...(renews && { renews }),
        now,
        policy: { version: policy.version, maxDurationSeconds: policy.policy.exceptions.maxDurationSeconds },
      },
      command.context,
    );
    const { catalog } = await this.registry.current();
    return writtenAnswer(stored, catalog.exceptions.get(command.exceptionId)!);
  }

  /** A retry with the same Idempotency-Key: the exception it created, as it stands now. */
  private async replay(exceptionId: string): Promise<ExceptionWritten> {
    const { catalog } = await this.registry.current();
    const summary = catalog.exceptions.get(exceptionId)!;
    const [requested] = await this.streams.events(exceptionId, 1);
    return { ...writtenAnswer(requested, summary), replayed: true };
  }

  private async renewed(exceptionId: string): Promise<RenewedException> {
    const { catalog } = await this.registry.current();
    const previous = catalog.exceptions.get(exceptionId);
    if (!previous) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'invalid-request',
        message: `renews names exception ${exceptionId}, which does not exist`,
        errors: [{ field: 'renews', reason: 'must name an existing exception' }],
      });
    }
    return {
      exceptionId,
      status: previous.status,
      scope: previous.scope,
      renewalCount: previous.renewalCount,
      ...(previous.renewedBy !== null && { renewedBy: previous.renewedBy }),
    };
  }
}
