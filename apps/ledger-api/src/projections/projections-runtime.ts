import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ProjectionRunner, ReadModelLock, READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';

export const READ_MODEL_LOCK = Symbol('READ_MODEL_LOCK');

/** Starts the runner with the API process and stops it before the event store closes. */
@Injectable()
export class ProjectionsRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(READ_MODEL_LOCK) private readonly lock: ReadModelLock,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start();
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
