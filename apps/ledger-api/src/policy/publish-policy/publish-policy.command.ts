import { Command } from '@nestjs/cqrs';
import type { PublishedPolicy, WriteContext } from '@ledger/core';

export class PublishPolicyCommand extends Command<PublishedPolicy> {
  constructor(
    readonly document: unknown,
    readonly expectedVersion: number,
    readonly context: WriteContext,
    readonly publishedBy?: string,
    readonly acknowledgedDeviations?: string[],
  ) {
    super();
  }
}
