import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  ChainVerification,
  EVENT_STORE,
  EventStore,
  RecordedEvent,
  StoreVerification,
  StreamNotFoundError,
  verifyAllStreams,
  verifyStreamChain,
} from '@ledger/event-store';
import { NotFoundError } from '../../shared/api-errors';
import { VerifyChainQuery } from './verify-chain.query';

const PAGE = 1000;

async function* streamPages(store: EventStore, stream: string): AsyncGenerator<RecordedEvent> {
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(stream, { fromRevision: from, maxCount: PAGE });
    yield* page;
    if (page.length < PAGE) return;
  }
}

async function* allPages(store: EventStore): AsyncGenerator<RecordedEvent> {
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    from = page[page.length - 1].position + 1;
  }
}

@QueryHandler(VerifyChainQuery)
export class VerifyChainHandler implements IQueryHandler<VerifyChainQuery, ChainVerification | StoreVerification> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ stream }: VerifyChainQuery): Promise<ChainVerification | StoreVerification> {
    if (stream === undefined) return verifyAllStreams(allPages(this.store));
    try {
      return await verifyStreamChain(stream, streamPages(this.store, stream));
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new NotFoundError(`stream ${stream} does not exist`);
      throw error;
    }
  }
}
