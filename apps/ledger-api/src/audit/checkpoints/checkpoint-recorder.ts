import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import {
  CHECKPOINT_STREAM,
  CheckpointDigest,
  CommandPath,
  EVENT_STORE,
  EventStore,
  EventToAppend,
  readAllPaged,
  RecordedEvent,
  StreamHeads,
  StreamState,
  StreamTail,
} from '@ledger/event-store';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';

export const CHECKPOINT_EVENT_TYPE = 'assurance.audit.checkpointed';
const CHECKPOINT_ID_NAMESPACE = '0d7cbb44-52a4-4a57-9a7e-5b8e0e7c1c3b';

export interface RecordedCheckpoint extends CheckpointDigest {
  stream: string;
  revision: number;
  eventPosition: number;
  recordedAt: string;
}

export function checkpointOf(event: RecordedEvent): RecordedCheckpoint {
  const data = event.data as unknown as CheckpointDigest & { recordedAt: string };
  return { ...data, stream: event.streamId, revision: event.revision, eventPosition: event.position };
}

/**
 * Writes a checkpoint digest into `audit-checkpoints` on a timer and on
 * request. It keeps the heads of every stream in memory and only reads what
 * was appended since the last run.
 */
@Injectable()
export class CheckpointRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  private readonly heads = new StreamHeads();
  /** Its state is the last checkpoint recorded, by this process or another. */
  private readonly checkpoints: CommandPath<RecordedCheckpoint | undefined>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {
    this.checkpoints = new CommandPath<RecordedCheckpoint | undefined>(store, {
      initialState: () => undefined,
      evolve: (_last, event) => checkpointOf(event),
      maxStreams: 1,
    });
  }

  onApplicationBootstrap(): void {
    // API replicas would each record the same digest: the timer runs in the `projector` or `all` process only.
    if (this.config.checkpointIntervalMs <= 0 || this.config.role === 'api') return;
    this.timer = setInterval(() => {
      this.recordIfChanged().catch((error: unknown) => this.logger.warn(`checkpoint not recorded: ${String(error)}`));
    }, this.config.checkpointIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Records a checkpoint unless nothing was appended since the last one. */
  async recordIfChanged(): Promise<RecordedCheckpoint | undefined> {
    return this.record(({ state: last }) => this.heads.coveredPosition !== -1 && !(last && last.position >= this.heads.coveredPosition));
  }

  async recordNow(): Promise<RecordedCheckpoint> {
    return (await this.record(() => true))!;
  }

  /**
   * Catches up with the store and decides, on the checkpoint stream's tail, whether to chain a new
   * digest onto it. When another process wrote a checkpoint in between, the path decides again on it.
   */
  private async record(wanted: (loaded: StreamState<RecordedCheckpoint | undefined>) => boolean): Promise<RecordedCheckpoint | undefined> {
    const { appended } = await this.checkpoints.handle(CHECKPOINT_STREAM, async (loaded) => {
      await this.catchUp();
      return { result: undefined, events: wanted(loaded) ? [this.checkpointToAppend(loaded.tail)] : [] };
    });
    return appended.length > 0 ? checkpointOf(appended[0]) : undefined;
  }

  private async catchUp(): Promise<void> {
    for await (const event of readAllPaged(this.store, this.heads.position + 1)) this.heads.apply(event);
  }

  private checkpointToAppend(tail: StreamTail): EventToAppend {
    const digest = this.heads.digest();
    const recordedAt = new Date().toISOString();
    return {
      id: uuidv5(`${digest.position}:${digest.digest}:${tail.revision}`, CHECKPOINT_ID_NAMESPACE),
      type: CHECKPOINT_EVENT_TYPE,
      data: { ...digest, recordedAt },
      metadata: {
        schemaVersion: 1,
        source: 'assurance-ledger',
        cloudEventId: `${CHECKPOINT_STREAM}#${digest.position}`,
        subject: CHECKPOINT_STREAM,
        time: recordedAt,
        recordedAt,
      },
    };
  }
}
