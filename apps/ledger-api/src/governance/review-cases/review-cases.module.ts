import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../projections/projections.module';
import { ActOnReviewCaseController } from './act-on-review-case/act-on-review-case.controller';
import { ActOnReviewCaseHandler } from './act-on-review-case/act-on-review-case.handler';
import { BulkActOnReviewCasesController } from './bulk-act-on-review-cases/bulk-act-on-review-cases.controller';
import { BulkActOnReviewCasesHandler } from './bulk-act-on-review-cases/bulk-act-on-review-cases.handler';

/** Reviewers' actions on the review cases the projections open. */
@Module({
  imports: [ProjectionsModule],
  // The bulk route is registered first, so `bulk` is never read as a case id.
  controllers: [BulkActOnReviewCasesController, ActOnReviewCaseController],
  providers: [ActOnReviewCaseHandler, BulkActOnReviewCasesHandler],
})
export class ReviewCasesModule {}
