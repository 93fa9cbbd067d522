import { Command } from '@nestjs/cqrs';
import type { ReviewCaseStatus } from '@ledger/domain';
import type { WriteContext } from '@ledger/core';

/** What a reviewer asks for; the handler adds the case id, the reviewer and the time. */
export type ReviewCaseAction =
  | { type: 'AcknowledgeCase'; note?: string }
  | { type: 'ResolveCase'; outcome: 'accepted-risk' | 'remediated' | 'false-positive'; note: string }
  | { type: 'EscalateCase'; reason: string };

export interface ReviewCaseActionResult {
  caseId: string;
  status: ReviewCaseStatus;
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
