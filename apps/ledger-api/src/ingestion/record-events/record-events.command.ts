import type { WriteContext } from '@ledger/core';
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

export class RecordEventsCommand extends Command<RecordedEventResult[]> {
  constructor(
    readonly events: IncomingCloudEvent[],
    readonly context: WriteContext,
  ) {
    super();
  }
}
