import { Command } from '@nestjs/cqrs';
import type { Channel, ReviewCaseStatus, ReviewSeverity } from '@ledger/domain';
import type { ReviewItemKind } from '@ledger/domain/projections';
import type { WriteContext } from '@ledger/core';
import type { ReviewCaseAction } from '../act-on-review-case/act-on-review-case.command';

/** The most cases one bulk action acts on: each is an append, and a request must finish in reasonable time. */
export const BULK_CASE_LIMIT = 500;

/** Unresolved cases a bulk action may select by filter, as `GET /v1/reviews` filters them. */
export interface BulkCaseFilter {
  status: 'open' | 'acknowledged' | 'escalated';
  kind?: ReviewItemKind;
  applicationId?: string;
  channel?: Channel;
  severity?: ReviewSeverity;
  assignee?: string;
  unassigned?: boolean;
}

/** One case's answer: the action recorded, or why it was not. */
export type BulkCaseResult =
  | { caseId: string; recorded: true; status: ReviewCaseStatus; revision: number; position: number }
  | { caseId: string; recorded: false; status: number; code: string; detail: string };

export interface BulkActionResult {
  batchId: string;
  /** Cases acted on, and cases refused; together every case selected, in the order they were acted on. */
  recorded: number;
  refused: number;
  results: BulkCaseResult[];
  /** Pass as `minPosition` to read the queue with every recorded action applied. */
  position: number | null;
}

export class BulkActOnReviewCasesCommand extends Command<BulkActionResult> {
  constructor(
    readonly target: { caseIds: string[] } | { filter: BulkCaseFilter },
    readonly action: ReviewCaseAction,
    readonly context: WriteContext,
  ) {
    super();
  }
}
