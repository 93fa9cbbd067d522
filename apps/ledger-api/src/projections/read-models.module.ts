import { Logger, Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import {
  acquireReadModelLock,
  ProjectionRunner,
  READ_MODEL_STORE,
  ReadModelLock,
  ReadModelStore,
  PostgresReadModelStore,
  SqliteReadModelStore,
} from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { ProjectionLagProbe } from './projection-lag';
import { ProjectionsRuntime, READ_MODEL_LOCK } from './projections-runtime';
import { ReadConsistency } from './read-consistency';

/**
 * The read models and, unless this is an `api` process, the runner that writes
 * them. Shared by the query slices, health and metrics, and by a `projector`
 * process that serves nothing else.
 */
@Module({
  providers: [
    // The lock comes first: a rebuild of the same file must not run while this process writes it. Readers take none.
    {
      provide: READ_MODEL_LOCK,
      // In PostgreSQL the store itself takes the schema's advisory lock, and a second projector waits for it.
      useFactory: (config: LedgerConfig): ReadModelLock =>
        config.role === 'api' || config.readModels === 'postgres'
          ? { path: config.readModelPath, release: () => undefined }
          : acquireReadModelLock(config.readModelPath),
      inject: [LEDGER_CONFIG],
    },
    {
      provide: READ_MODEL_STORE,
      useFactory: (config: LedgerConfig, _lock: ReadModelLock): ReadModelStore =>
        config.readModels === 'postgres'
          ? new PostgresReadModelStore({
              connectionString: config.postgresUrl!,
              schema: config.postgresSchema,
              role: config.role === 'api' ? 'reader' : 'projector',
              logger: new Logger('ReadModels'),
            })
          : new SqliteReadModelStore({ path: config.readModelPath, reader: config.role === 'api' }),
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
    ProjectionLagProbe,
  ],
  exports: [READ_MODEL_STORE, ProjectionRunner, ReadConsistency, ProjectionLagProbe],
})
export class ReadModelsModule {}
