import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../access/roles';
import { MinPositionParams } from '../read-consistency';
import { ReviewSummaryQuery } from './review-summary.query';

@RequireRoles('helpdesk', 'reviewer', 'auditor')
@Controller('v1/reviews/summary')
export class ReviewSummaryController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * The top of the queue: unresolved cases and how many are overdue, by severity; when the
   * longest-waiting one opened; and cases opened and resolved over the last 7 and 30 days.
   */
  @Get()
  summary(@Query() params: MinPositionParams) {
    return this.queryBus.execute(new ReviewSummaryQuery(params.minPosition));
  }
}
