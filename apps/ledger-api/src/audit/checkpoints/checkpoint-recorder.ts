import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import {
  chainEvents,
  CHECKPOINT_STREAM,
  CheckpointDigest,
  EMPTY_STREAM_TAIL,
  EVENT_STORE,
  EventStore,
  expectedRevisionAfter,
  KeyedMutex,
  readAllPaged,
  RecordedEvent,
  StreamHeads,
  StreamNotFoundError,
  StreamTail,
  WrongExpectedRevisionError,
} from '@ledger/event-store';
import { LEDGER_CONFIG, LedgerConfig } from '../../config/ledger-config';

export const CHECKPOINT_EVENT_TYPE = 'assurance.audit.checkpointed';
const CHECKPOINT_ID_NAMESPACE = '0d7cbb44-52a4-4a57-9a7e-5b8e0e7c1c3b';
const MAX_ATTEMPTS = 5;

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
  private readonly exclusive = new KeyedMutex();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

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
    return this.exclusive.runExclusive([CHECKPOINT_STREAM], async () => {
      await this.catchUp();
      if (this.heads.coveredPosition === -1) return undefined;
      const last = await this.lastCheckpoint();
      if (last && last.position >= this.heads.coveredPosition) return undefined;
      return this.append();
    });
  }

  async recordNow(): Promise<RecordedCheckpoint> {
    return this.exclusive.runExclusive([CHECKPOINT_STREAM], async () => {
      await this.catchUp();
      return this.append();
    });
  }

  private async catchUp(): Promise<void> {
    for await (const event of readAllPaged(this.store, this.heads.position + 1)) this.heads.apply(event);
  }

  private async append(): Promise<RecordedCheckpoint> {
    for (let attempt = 1; ; attempt++) {
      const digest = this.heads.digest();
      const tail = await this.tail();
      const recordedAt = new Date().toISOString();
      const [event] = chainEvents(CHECKPOINT_STREAM, tail, [
        {
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
        },
      ]);
      try {
        const result = await this.store.append(CHECKPOINT_STREAM, [event], expectedRevisionAfter(tail));
        return checkpointOf(result.events[0]);
      } catch (error) {
        // Another process wrote a checkpoint in between: chain onto it instead.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async tail(): Promise<StreamTail> {
    const last = await this.lastCheckpointEvent();
    return last ? { revision: last.revision, lastHash: String(last.metadata.hash) } : EMPTY_STREAM_TAIL;
  }

  private async lastCheckpoint(): Promise<RecordedCheckpoint | undefined> {
    const last = await this.lastCheckpointEvent();
    return last && checkpointOf(last);
  }

  private async lastCheckpointEvent(): Promise<RecordedEvent | undefined> {
    try {
      const [last] = await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
      return last;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }
}
