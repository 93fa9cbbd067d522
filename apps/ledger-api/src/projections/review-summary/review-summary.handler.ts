import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  currentPolicy,
  governanceSettingsOf,
  overdueIfOpenedAtOrBefore,
  REVIEW_SEVERITIES,
  ReviewSeverity,
  reviewSlaBusinessDaysFor,
} from '@ledger/domain';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { PolicyHistoryStore } from '@ledger/core';
import { ReadConsistency } from '../read-consistency';
import { ReviewSummaryQuery, ReviewSummaryView } from './review-summary.query';

const DAY_MS = 86_400_000;

@QueryHandler(ReviewSummaryQuery)
export class ReviewSummaryHandler implements IQueryHandler<ReviewSummaryQuery, ReviewSummaryView> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
    private readonly policies: PolicyHistoryStore,
  ) {}

  /**
   * Overdue is judged as the queue judges it, by the SLA the current policy gives each severity;
   * the read models count it from one cut-off per severity instead of reading every case.
   */
  async execute(query: ReviewSummaryQuery): Promise<ReviewSummaryView> {
    await this.consistency.ensure(query.minPosition);
    const settings = governanceSettingsOf(currentPolicy((await this.policies.load()).state).policy);
    const now = new Date();
    const overdueAtOrBefore = Object.fromEntries(
      REVIEW_SEVERITIES.map((severity) => [severity, overdueIfOpenedAtOrBefore(now, reviewSlaBusinessDaysFor(settings, severity))]),
    ) as Record<ReviewSeverity, string>;
    const { position, value } = await this.readModels.reviewSummary({
      overdueAtOrBefore,
      since: { days7: new Date(now.getTime() - 7 * DAY_MS).toISOString(), days30: new Date(now.getTime() - 30 * DAY_MS).toISOString() },
    });
    return { position, at: now.toISOString(), ...value };
  }
}
