import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { GetPostureController } from './get-posture/get-posture.controller';
import { GetPostureHandler } from './get-posture/get-posture.handler';
import { GetProjectionChecksumsController } from './get-projection-checksums/get-projection-checksums.controller';
import { GetProjectionChecksumsHandler } from './get-projection-checksums/get-projection-checksums.handler';
import { GetSubjectStateController } from './get-subject-state/get-subject-state.controller';
import { GetSubjectStateHandler } from './get-subject-state/get-subject-state.handler';
import { ListProjectionsController } from './list-projections/list-projections.controller';
import { ListProjectionsHandler } from './list-projections/list-projections.handler';
import { ListReviewsController } from './list-reviews/list-reviews.controller';
import { ListReviewsHandler } from './list-reviews/list-reviews.handler';
import { ReviewSummaryController } from './review-summary/review-summary.controller';
import { ReviewSummaryHandler } from './review-summary/review-summary.handler';
import { ReadModelsModule } from './read-models.module';
import { SearchSubjectsController } from './search-subjects/search-subjects.controller';
import { SearchSubjectsHandler } from './search-subjects/search-subjects.handler';
import { ExceptionRegistryModule } from '../governance/exceptions/exception-registry.module';

/** Read models built from the store's subscription: subject state, review queue, posture. */
@Module({
  imports: [ReadModelsModule, PolicyModule, ExceptionRegistryModule],
  exports: [ReadModelsModule],
  controllers: [
    ListProjectionsController,
    GetProjectionChecksumsController,
    SearchSubjectsController,
    GetSubjectStateController,
    ReviewSummaryController,
    ListReviewsController,
    GetPostureController,
  ],
  providers: [
    ListProjectionsHandler,
    GetProjectionChecksumsHandler,
    GetSubjectStateHandler,
    SearchSubjectsHandler,
    ListReviewsHandler,
    ReviewSummaryHandler,
    GetPostureHandler,
  ],
})
export class ProjectionsModule {}
