import { Inject, Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProjectionRunner } from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger-config';
import { ReadModelBehindError } from './projection-errors';

/** Query parameter shared by every read-model query: read your own writes. */
export class MinPositionParams {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  minPosition?: number;
}

/**
 * The `minPosition` contract: a query that names a position is answered only
 * once the read models include it, or fails with 503 after the configured
 * wait; it never returns older state as if it were current.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async ensure(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    const reached = await this.runner.waitForPosition(minPosition, this.config.consistencyWaitMs);
    if (!reached) throw new ReadModelBehindError(minPosition, this.runner.current().position, this.config.consistencyWaitMs);
  }
}
