import { Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainRuleViolation } from '@ledger/domain';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { LedgerConflictError, NotFoundError } from '@ledger/core';
import { InvalidRequestError } from '../../../shared/invalid-request';
import { ActOnReviewCaseHandler } from '../act-on-review-case/act-on-review-case.handler';
import {
  BULK_CASE_LIMIT,
  BulkActionResult,
  BulkActOnReviewCasesCommand,
  BulkCaseFilter,
  BulkCaseResult,
} from './bulk-act-on-review-cases.command';

@CommandHandler(BulkActOnReviewCasesCommand)
export class BulkActOnReviewCasesHandler implements ICommandHandler<BulkActOnReviewCasesCommand, BulkActionResult> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly single: ActOnReviewCaseHandler,
  ) {}

  /**
   * A bulk action is the single action repeated: each case gets its own event in its own stream,
   * decided by the same decider on that case's history, with the batch's id in it. Nothing is
   * shared but the id, so the rules of a single action (and any refusal) hold per case, and a
   * refusal of one case does not undo the others: the answer lists what was recorded and what not.
   */
  async execute({ target, action, context }: BulkActOnReviewCasesCommand): Promise<BulkActionResult> {
    const caseIds = 'caseIds' in target ? [...new Set(target.caseIds)] : await this.selected(target.filter);
    const batchId = randomUUID();
    const results: BulkCaseResult[] = [];
    let position: number | null = null;
    for (const caseId of caseIds) {
      try {
        const done = await this.single.actOn(caseId, action, context, batchId);
        results.push({ caseId, recorded: true, status: done.status, revision: done.revision, position: done.position });
        position = Math.max(position ?? -1, done.position);
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        results.push({ caseId, recorded: false, ...refusal });
      }
    }
    const recorded = results.filter((result) => result.recorded).length;
    return { batchId, recorded, refused: results.length - recorded, results, position };
  }

  private async selected({ unassigned, assignee, ...filter }: BulkCaseFilter): Promise<string[]> {
    const { value } = await this.readModels.listReviewItems({
      ...filter,
      assignee: unassigned ? null : assignee,
      order: 'severity-first',
      limit: BULK_CASE_LIMIT + 1,
    });
    if (value.length > BULK_CASE_LIMIT) {
      throw new InvalidRequestError('invalid-request', `the filter selects more than ${BULK_CASE_LIMIT} cases`, [
        { field: 'filter', reason: `selects more than ${BULK_CASE_LIMIT} cases; narrow it` },
      ]);
    }
    return value.map((item) => item.itemId);
  }
}

/** The refusals a single action answers as 404 or 409, kept per case; anything else fails the request. */
function refusalOf(error: unknown): { status: number; code: string; detail: string } | undefined {
  if (error instanceof NotFoundError) return { status: 404, code: 'not-found', detail: error.message };
  if (error instanceof DomainRuleViolation) return { status: 409, code: error.code, detail: error.message };
  if (error instanceof LedgerConflictError) return { status: 409, code: error.code, detail: error.message };
  return undefined;
}
