import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  ChainVerification,
  EVENT_STORE,
  EventStore,
  readAllPaged,
  readStreamPaged,
  StoreVerification,
  StreamNotFoundError,
  verifyAllStreams,
  verifyStreamChain,
} from '@ledger/event-store';
import { NotFoundError } from '@ledger/core';
import { VerifyChainQuery } from './verify-chain.query';

@QueryHandler(VerifyChainQuery)
export class VerifyChainHandler implements IQueryHandler<VerifyChainQuery, ChainVerification | StoreVerification> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ stream }: VerifyChainQuery): Promise<ChainVerification | StoreVerification> {
    if (stream === undefined) return verifyAllStreams(readAllPaged(this.store));
    try {
      return await verifyStreamChain(stream, readStreamPaged(this.store, stream));
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new NotFoundError(`stream ${stream} does not exist`);
      throw error;
    }
  }
}
