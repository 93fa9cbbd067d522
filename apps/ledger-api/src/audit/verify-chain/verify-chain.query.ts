import { Query } from '@nestjs/cqrs';
import { ChainVerification, StoreVerification } from '@ledger/event-store';

export class VerifyChainQuery extends Query<ChainVerification | StoreVerification> {
  /** Without a stream, every stream in the store is verified. */
  constructor(readonly stream?: string) {
    super();
  }
}
