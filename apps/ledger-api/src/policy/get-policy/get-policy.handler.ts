import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PolicyHistoryStore, PolicyVersionView } from '@ledger/core';
import { GetPolicyQuery } from './get-policy.query';

@QueryHandler(GetPolicyQuery)
export class GetPolicyHandler implements IQueryHandler<GetPolicyQuery, PolicyVersionView> {
  constructor(private readonly policies: PolicyHistoryStore) {}

  execute({ version }: GetPolicyQuery): Promise<PolicyVersionView> {
    return this.policies.version(version);
  }
}
