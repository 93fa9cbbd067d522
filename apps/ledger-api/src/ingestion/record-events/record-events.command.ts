import { Command } from '@nestjs/cqrs';
import { IncomingCloudEvent } from './cloud-event.dto';

export type RecordStatus = 'recorded' | 'duplicate';

export interface RecordedEventResult {
  id: string;
  source: string;
  status: RecordStatus;
  stream: string;
  revision: number;
  position: number;
  hash: string;
}

/** Who is writing and why: copied into every event's metadata. */
export interface WriteContext {
  correlationId: string;
  causationId: string;
  /** Name of the API key that made the request, so the trail shows who wrote what. */
  writtenBy?: string;
}

export class RecordEventsCommand extends Command<RecordedEventResult[]> {
  constructor(
    readonly events: IncomingCloudEvent[],
    readonly context: WriteContext,
  ) {
    super();
  }
}
