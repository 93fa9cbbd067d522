import { Query } from '@nestjs/cqrs';
import type { ReviewSummary } from '@ledger/read-models';

export interface ReviewSummaryView extends ReviewSummary {
  position: number;
  /** The time the summary was judged at: what `overdue` and the trend windows are measured from. */
  at: string;
}

export class ReviewSummaryQuery extends Query<ReviewSummaryView> {
  constructor(readonly minPosition: number | undefined) {
    super();
  }
}
