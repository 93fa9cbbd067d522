import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  currentPolicy,
  GovernanceSettings,
  governanceSettingsOf,
  reviewDueAt,
  reviewSeverityRank,
  reviewSlaBusinessDaysFor,
  reviewSlaStatus,
} from '@ledger/domain';
import type { ReviewItem } from '@ledger/domain/projections';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { InvalidQueryError, PolicyHistoryStore } from '@ledger/core';
import { exceptionsToReview } from '@ledger/domain';
import { ExceptionRegistry, exceptionsForView } from '@ledger/core';
import { exceptionView } from '../../governance/exceptions/exception-view';
import { decodeCursor, encodeCursor } from '../cursor';
import { ReadConsistency } from '../read-consistency';
import { ListReviewsQuery, ReviewQueuePage } from './list-reviews.query';

@QueryHandler(ListReviewsQuery)
export class ListReviewsHandler implements IQueryHandler<ListReviewsQuery, ReviewQueuePage> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
    private readonly policies: PolicyHistoryStore,
    private readonly exceptions: ExceptionRegistry,
  ) {}

  async execute(query: ListReviewsQuery): Promise<ReviewQueuePage> {
    // Cursors of the severity order carry the rank too; each order only accepts its own.
    const severityFirst = query.order === 'severity-first';
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, severityFirst ? 3 : 2);
    if (after && severityFirst && !/^[0-3]$/.test(after[2]))
      throw new InvalidQueryError('cursor', 'must be a nextCursor returned by this endpoint');
    await this.consistency.ensure(query.minPosition);
    const askedAt = Date.now();
    const { position, value } = await this.readModels.listReviewItems({
      status: query.status,
      kind: query.kind,
      applicationId: query.applicationId,
      subjectId: query.subjectId,
      severity: query.severity,
      channel: query.channel,
      openedAtOrBefore: query.minAgeDays === undefined ? undefined : new Date(askedAt - query.minAgeDays * 86_400_000).toISOString(),
      assignee: query.assignee,
      order: query.order,
      after: after && { occurredAt: after[0], itemId: after[1], ...(severityFirst && { severityRank: Number(after[2]) }) },
      limit: query.limit + 1,
    });
    const page = value.slice(0, query.limit);
    const settings = governanceSettingsOf(currentPolicy((await this.policies.load()).state).policy);
    const now = Date.now();
    const last = page[page.length - 1];
    const { catalog } = await exceptionsForView(this.exceptions);
    const { pending, expiringSoon } = exceptionsToReview(catalog, now);
    return {
      position,
      items: page.map((item) => ({
        ...item,
        ageSeconds: Math.max(0, Math.floor((now - new Date(item.occurredAt).getTime()) / 1000)),
        sourceHref: `/v1/subjects/${encodeURIComponent(item.subjectId)}/events?fromRevision=${item.source.revision}&limit=1`,
        ...slaOf(item, settings, new Date(now)),
      })),
      nextCursor:
        value.length > query.limit
          ? encodeCursor(
              severityFirst ? [last.occurredAt, last.itemId, String(reviewSeverityRank(last.severity))] : [last.occurredAt, last.itemId],
            )
          : null,
      exceptions: {
        pending: pending.map((summary) => exceptionView(summary, now)),
        expiringWithin7Days: expiringSoon.map((summary) => exceptionView(summary, now)),
      },
    };
  }
}

function slaOf(item: ReviewItem, settings: GovernanceSettings, now: Date) {
  const dueAt = reviewDueAt(item.occurredAt, reviewSlaBusinessDaysFor(settings, item.severity));
  const resolvedAt = item.actions.find((action) => action.action === 'resolved')?.at;
  return { dueAt, slaStatus: reviewSlaStatus(dueAt, now, resolvedAt) };
}
