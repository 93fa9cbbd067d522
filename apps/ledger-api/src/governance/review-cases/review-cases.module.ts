import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../projections/projections.module';
import { ActOnReviewCaseController } from './act-on-review-case/act-on-review-case.controller';
import { ActOnReviewCaseHandler } from './act-on-review-case/act-on-review-case.handler';

/** Reviewers' actions on the review cases the projections open. */
@Module({
  imports: [ProjectionsModule],
  controllers: [ActOnReviewCaseController],
  providers: [ActOnReviewCaseHandler],
})
export class ReviewCasesModule {}
