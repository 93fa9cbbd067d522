import { WriteContext } from '../../ingestion/record-events/record-events.command';
import { Command } from '@nestjs/cqrs';

export interface PublishedPolicy {
  version: number;
  effectiveFrom: string;
  stream: string;
  revision: number;
  position: number;
  hash: string;
}

export class PublishPolicyCommand extends Command<PublishedPolicy> {
  constructor(
    readonly document: unknown,
    readonly expectedVersion: number,
    readonly context: WriteContext,
    readonly publishedBy?: string,
  ) {
    super();
  }
}
