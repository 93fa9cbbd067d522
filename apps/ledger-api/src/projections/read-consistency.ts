import { Inject, Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProjectionRunner, READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { ReadModelBehindError } from '@ledger/core';

/** Query parameter shared by every read-model query: read your own writes. */
export class MinPositionParams {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minPosition?: number;
}

/** How often an `api` process looks at the shared checkpoints while a query waits for the projector. */
const CHECKPOINT_POLL_MS = 25;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The `minPosition` contract: a query that names a position is answered only
 * once the read models include it, or fails with 503 after the configured
 * wait; it never returns older state as if it were current. A process that
 * runs the runner is told by it; an `api` process, whose read models another
 * process writes, watches the committed checkpoints instead.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async ensure(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    if (this.config.role === 'api') return this.ensureCommitted(minPosition);
    const reached = await this.runner.waitForPosition(minPosition, this.config.consistencyWaitMs);
    if (!reached) throw new ReadModelBehindError(minPosition, this.runner.current().position, this.config.consistencyWaitMs);
  }

  private async ensureCommitted(minPosition: number): Promise<void> {
    const deadline = Date.now() + this.config.consistencyWaitMs;
    for (;;) {
      const position = await this.committedPosition();
      if (position >= minPosition) return;
      if (Date.now() >= deadline) throw new ReadModelBehindError(minPosition, position, this.config.consistencyWaitMs);
      await sleep(Math.min(CHECKPOINT_POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }

  private async committedPosition(): Promise<number> {
    const checkpoints = await this.readModels.checkpoints();
    return Math.min(...checkpoints.map((checkpoint) => checkpoint.position));
  }
}
