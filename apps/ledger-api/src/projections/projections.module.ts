import { Logger, Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import {
  acquireReadModelLock,
  ProjectionRunner,
  READ_MODEL_STORE,
  ReadModelLock,
  ReadModelStore,
  SqliteReadModelStore,
} from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger-config';
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
import { ProjectionsRuntime, READ_MODEL_LOCK } from './projections-runtime';
import { ReadConsistency } from './read-consistency';
import { SearchSubjectsController } from './search-subjects/search-subjects.controller';
import { SearchSubjectsHandler } from './search-subjects/search-subjects.handler';
import { ExceptionRegistryModule } from '../governance/exceptions/exception-registry';

/** Read models built from the store's subscription: subject state, review queue, posture. */
@Module({
  imports: [ExceptionRegistryModule],
  controllers: [
    ListProjectionsController,
    GetProjectionChecksumsController,
    SearchSubjectsController,
    GetSubjectStateController,
    ListReviewsController,
    GetPostureController,
  ],
  providers: [
    // The lock comes first: a rebuild of the same file must not run while this process writes it.
    { provide: READ_MODEL_LOCK, useFactory: (config: LedgerConfig) => acquireReadModelLock(config.readModelPath), inject: [LEDGER_CONFIG] },
    {
      provide: READ_MODEL_STORE,
      useFactory: (config: LedgerConfig, _lock: ReadModelLock) => new SqliteReadModelStore({ path: config.readModelPath }),
      inject: [LEDGER_CONFIG, READ_MODEL_LOCK],
    },
    {
      provide: ProjectionRunner,
      useFactory: (eventStore: EventStore, readModels: ReadModelStore) =>
        new ProjectionRunner(eventStore, readModels, { logger: new Logger('ProjectionRunner') }),
      inject: [EVENT_STORE, READ_MODEL_STORE],
    },
    ProjectionsRuntime,
    ReadConsistency,
    ListProjectionsHandler,
    GetProjectionChecksumsHandler,
    GetSubjectStateHandler,
    SearchSubjectsHandler,
    ListReviewsHandler,
    GetPostureHandler,
  ],
})
export class ProjectionsModule {}
