import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsIn, IsOptional } from 'class-validator';
import { InvalidQueryError } from '@ledger/core';
import { OptionalIdParam, OptionalIntParam, OptionalKeyNameParam, PageParams } from '../../shared/query-params';
import { REVIEW_ITEM_KINDS, REVIEW_ITEM_STATUSES, ReviewItemKind, ReviewItemStatus } from '@ledger/domain/projections';
import { ListReviewsQuery } from './list-reviews.query';
import { RequireRoles } from '../../access/roles';
import { Channel, CHANNELS, REVIEW_SEVERITIES, ReviewSeverity } from '@ledger/domain';
import type { ReviewSortOrder } from '@ledger/read-models';

/**
 * `severity`: the most severe first, then the oldest (the default, what a team works through);
 * `-age`: oldest first; `age`: newest first.
 */
export const REVIEW_SORTS = ['severity', '-age', 'age'] as const;
const SORT_ORDERS: Record<(typeof REVIEW_SORTS)[number], ReviewSortOrder> = {
  severity: 'severity-first',
  '-age': 'oldest-first',
  age: 'newest-first',
};

export class ListReviewsParams extends PageParams {
  @IsOptional()
  @IsIn(REVIEW_ITEM_STATUSES)
  status?: ReviewItemStatus;

  @IsOptional()
  @IsIn(REVIEW_ITEM_KINDS)
  kind?: ReviewItemKind;

  @OptionalIdParam(/^[A-Za-z0-9][A-Za-z0-9._:@+/-]*$/, '$property must be an application id')
  applicationId?: string;

  @OptionalIdParam(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/, '$property must be a subject id')
  subjectId?: string;

  @IsOptional()
  @IsIn(REVIEW_SEVERITIES)
  severity?: ReviewSeverity;

  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  /** Only cases open (since they opened or re-opened) at least this many days. */
  @OptionalIntParam(0, 3650)
  minAgeDays?: number;

  /** Cases the reviewer with this key name holds. */
  @OptionalKeyNameParam()
  assignee?: string;

  /** `true`: only cases nobody holds. */
  @IsOptional()
  @IsIn(['true', 'false'])
  unassigned?: 'true' | 'false';

  @IsOptional()
  @IsIn(REVIEW_SORTS)
  sort?: (typeof REVIEW_SORTS)[number];
}

@RequireRoles('helpdesk', 'reviewer', 'auditor')
@Controller('v1/reviews')
export class ListReviewsController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * Items that need a human: fallbacks, policy violations, denials nothing enrolled could pass, recoveries,
   * break-glass, and the governance cases; `status` defaults to `open` (not yet acted on).
   */
  @Get()
  list(@Query() params: ListReviewsParams) {
    const unassigned = params.unassigned === 'true';
    if (unassigned && params.assignee !== undefined)
      throw new InvalidQueryError('unassigned', 'give assignee or unassigned=true, not both');
    return this.queryBus.execute(
      new ListReviewsQuery(
        params.status ?? 'open',
        params.kind,
        params.applicationId,
        params.subjectId,
        params.severity,
        params.channel,
        params.minAgeDays,
        unassigned ? null : params.assignee,
        SORT_ORDERS[params.sort ?? 'severity'],
        params.limit ?? 50,
        params.cursor,
        params.minPosition,
      ),
    );
  }
}
