import type { ExceptionView } from '../../governance/exceptions/exception-view';
import { Query } from '@nestjs/cqrs';
import type { Channel, ReviewSeverity, ReviewSlaStatus } from '@ledger/domain';
import type { ReviewItem, ReviewItemKind, ReviewItemStatus } from '@ledger/domain/projections';
import type { ReviewSortOrder } from '@ledger/read-models';

export interface ReviewItemView extends ReviewItem {
  /** Seconds since the fact occurred, at the time of the answer. */
  ageSeconds: number;
  /** Where to read the source event: the subject's events from its revision. */
  sourceHref: string;
  /** The business days the current policy gives the case's severity, counted from when the case opened or re-opened. */
  dueAt: string;
  /** `overdue` once past `dueAt` unresolved, or resolved after it. */
  slaStatus: ReviewSlaStatus;
}

export interface ReviewQueuePage {
  position: number;
  items: ReviewItemView[];
  nextCursor: string | null;
  /** Exceptions waiting for a reviewer, and approved ones that expire within 7 days. */
  exceptions: { pending: ExceptionView[]; expiringWithin7Days: ExceptionView[] };
}

export class ListReviewsQuery extends Query<ReviewQueuePage> {
  constructor(
    readonly status: ReviewItemStatus,
    readonly kind: ReviewItemKind | undefined,
    readonly applicationId: string | undefined,
    readonly subjectId: string | undefined,
    readonly severity: ReviewSeverity | undefined,
    readonly channel: Channel | undefined,
    readonly minAgeDays: number | undefined,
    /** A reviewer's key name; null for cases nobody holds. */
    readonly assignee: string | null | undefined,
    readonly order: ReviewSortOrder,
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
