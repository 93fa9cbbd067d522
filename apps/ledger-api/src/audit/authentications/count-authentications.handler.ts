import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { ReadConsistency } from '../../projections/read-consistency';
import { AuthenticationsCount, CountAuthenticationsQuery } from './count-authentications.query';

@QueryHandler(CountAuthenticationsQuery)
export class CountAuthenticationsHandler implements IQueryHandler<CountAuthenticationsQuery, AuthenticationsCount> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
  ) {}

  async execute({ filter, minPosition }: CountAuthenticationsQuery): Promise<AuthenticationsCount> {
    await this.consistency.ensure(minPosition);
    const { position, value } = await this.readModels.countAuthentications(filter);
    return { position, count: value };
  }
}
