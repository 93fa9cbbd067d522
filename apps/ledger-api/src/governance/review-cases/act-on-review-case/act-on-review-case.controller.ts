import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import type { WriteContext } from '@ledger/core';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import { ActOnReviewCaseCommand } from './act-on-review-case.command';
import { AcknowledgeCaseDto, EscalateCaseDto, ResolveCaseDto, ReviewCaseIdParams } from './act-on-review-case.dto';

/**
 * Reviewers take and act on the cases `GET /v1/reviews` lists. Each action is recorded
 * as an event under the caller's key name; 404 for a case the queue does not
 * hold, 409 when the case's history forbids the action or another reviewer
 * acted on it at the same moment.
 */
@RequireRoles('reviewer', 'admin')
@Controller('v1/reviews')
export class ActOnReviewCaseController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@Param() { id }: ReviewCaseIdParams, @Body() body: unknown, @RequestWriteContext() context: WriteContext) {
    const { note } = validatedBody(AcknowledgeCaseDto, body ?? {});
    return this.commandBus.execute(
      new ActOnReviewCaseCommand(id, { type: 'AcknowledgeCase', ...(note !== undefined && { note }) }, context),
    );
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Param() { id }: ReviewCaseIdParams, @Body() body: unknown, @RequestWriteContext() context: WriteContext) {
    const { outcome, note } = validatedBody(ResolveCaseDto, body);
    return this.commandBus.execute(new ActOnReviewCaseCommand(id, { type: 'ResolveCase', outcome, note }, context));
  }

  /** The caller takes the case: it is assigned to the caller's key, never to a name in the body. */
  @Post(':id/take')
  @HttpCode(200)
  take(@Param() { id }: ReviewCaseIdParams, @RequestWriteContext() context: WriteContext) {
    return this.commandBus.execute(new ActOnReviewCaseCommand(id, { type: 'TakeCase' }, context));
  }

  @Post(':id/escalate')
  @HttpCode(200)
  escalate(@Param() { id }: ReviewCaseIdParams, @Body() body: unknown, @RequestWriteContext() context: WriteContext) {
    const { reason } = validatedBody(EscalateCaseDto, body);
    return this.commandBus.execute(new ActOnReviewCaseCommand(id, { type: 'EscalateCase', reason }, context));
  }
}
