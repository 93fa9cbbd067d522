import { Command } from '@nestjs/cqrs';
import type { ReviewCaseStatus } from '@ledger/domain';
import type { WriteContext } from '@ledger/core';

/** What a reviewer asks for; the handler adds the case id, the reviewer and the time. */
export type ReviewCaseAction =
  | { type: 'AcknowledgeCase'; note?: string }
  | { type: 'ResolveCase'; outcome: 'accepted-risk' | 'remediated' | 'false-positive'; note: string }
  | { type: 'EscalateCase'; reason: string }
  /** The caller takes the case: the assignee is always the caller's key name. */
  | { type: 'TakeCase' };

export interface ReviewCaseActionResult {
  caseId: string;
  status: ReviewCaseStatus;
  /** Who holds the case after the action; null when nobody does. */
  assignee: string | null;
  stream: string;
  revision: number;
  /** Pass as `minPosition` to read the queue with this action applied. */
  position: number;
  hash: string;
}

export class ActOnReviewCaseCommand extends Command<ReviewCaseActionResult> {
  constructor(
    readonly caseId: string,
    readonly action: ReviewCaseAction,
    readonly context: WriteContext,
  ) {
    super();
  }
}
