import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Matches, Min } from 'class-validator';
import { OptionalIntParam } from '../../shared/query-params';
import { CHECKPOINT_STREAM, digestAt, EVENT_STORE, EventStore, readAllPaged, StreamNotFoundError } from '@ledger/event-store';
import { CheckpointRecorder, checkpointOf } from './checkpoint-recorder';
import { RequireRoles } from '../../access/roles';

export class ListCheckpointsParams {
  @OptionalIntParam(1, 1000)
  limit?: number;
}

export class VerifyCheckpointParams {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position: number;

  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest in lower-case hex' })
  digest: string;
}

@Controller('v1/audit/checkpoints')
export class CheckpointsController {
  constructor(
    private readonly recorder: CheckpointRecorder,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Records a checkpoint digest now, whatever the timer says. */
  @Post()
  @HttpCode(201)
  @RequireRoles('admin', 'auditor')
  record() {
    return this.recorder.recordNow();
  }

  /** The most recent checkpoints, newest first: keep copies of these outside the ledger. */
  @Get()
  @RequireRoles('auditor')
  async list(@Query() { limit }: ListCheckpointsParams) {
    try {
      const events = await this.store.readStream(CHECKPOINT_STREAM, {
        direction: 'backwards',
        fromRevision: 'end',
        maxCount: limit ?? 100,
      });
      return { checkpoints: events.map(checkpointOf) };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { checkpoints: [] };
      throw error;
    }
  }

  /**
   * Recomputes the digest at a position from the events stored now and
   * compares it with one the auditor kept: any edit, deletion or addition
   * before that position makes them differ.
   */
  @Get('verify')
  @RequireRoles('auditor')
  async verify(@Query() { position, digest }: VerifyCheckpointParams) {
    const recomputed = await digestAt(readAllPaged(this.store), position);
    return { matches: recomputed.digest === digest, expected: { position, digest }, recomputed };
  }
}
