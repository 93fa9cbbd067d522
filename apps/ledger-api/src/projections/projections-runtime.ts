import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ProjectionRunner, ReadModelLock, READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';

export const READ_MODEL_LOCK = Symbol('READ_MODEL_LOCK');

/**
 * Starts the runner with the process and stops it before the event store
 * closes. An `api` process runs no runner: it only reads what the one
 * `projector` writes, so replicas never apply an event twice.
 */
@Injectable()
export class ProjectionsRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(READ_MODEL_LOCK) private readonly lock: ReadModelLock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'api') this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    try {
      await this.runner.stop();
      await this.readModels.close();
    } catch (error) {
      this.logger.error(`stopping the projections failed: ${String(error)}`);
    } finally {
      this.lock.release();
    }
  }
}
