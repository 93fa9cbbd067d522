import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { WriteContext } from '@ledger/core';
import { RequireRoles } from '../../../access/roles';
import { InvalidRequestError, validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { ReviewCaseAction } from '../act-on-review-case/act-on-review-case.command';
import { BulkActOnReviewCasesCommand } from './bulk-act-on-review-cases.command';
import { BulkActionDto } from './bulk-act-on-review-cases.dto';

/**
 * One action over a selection (`caseIds`) or a filter of the queue, at most 500 cases: one event
 * per case, each with the answer's `batchId`. 200 with what was recorded and what was refused.
 */
@RequireRoles('reviewer', 'admin')
@Controller('v1/reviews/bulk')
export class BulkActOnReviewCasesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  act(@Body() body: unknown, @RequestWriteContext() context: WriteContext) {
    const request = validatedBody(BulkActionDto, body);
    if (request.filter?.assignee !== undefined && request.filter.unassigned === true) {
      throw new InvalidRequestError('invalid-request', 'a case cannot be held by someone and by nobody', [
        { field: 'filter.unassigned', reason: 'give assignee or unassigned, not both' },
      ]);
    }
    if (request.caseIds !== undefined && request.filter !== undefined) {
      throw new InvalidRequestError('invalid-request', 'give caseIds or a filter, not both', [
        { field: 'filter', reason: 'give caseIds or a filter, not both' },
      ]);
    }
    const action: ReviewCaseAction =
      request.action === 'resolve'
        ? { type: 'ResolveCase', outcome: request.outcome!, note: request.note! }
        : request.action === 'escalate'
          ? { type: 'EscalateCase', reason: request.reason! }
          : request.action === 'take'
            ? { type: 'TakeCase' }
            : { type: 'AcknowledgeCase', ...(request.note !== undefined && { note: request.note }) };
    const target = request.caseIds !== undefined ? { caseIds: request.caseIds } : { filter: { ...request.filter! } };
    return this.commandBus.execute(new BulkActOnReviewCasesCommand(target, action, context));
  }
}
