import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { currentPolicy, policyVersionNumbered } from '@ledger/domain';
import { NotFoundError } from '../../shared/api-errors';
import { PolicyHistoryStore } from '../policy-history.store';
import { GetPolicyQuery, PolicyVersionView } from './get-policy.query';

@QueryHandler(GetPolicyQuery)
export class GetPolicyHandler implements IQueryHandler<GetPolicyQuery, PolicyVersionView> {
  constructor(private readonly policies: PolicyHistoryStore) {}

  async execute({ version }: GetPolicyQuery): Promise<PolicyVersionView> {
    const { state } = await this.policies.load();
    const found = version === undefined ? currentPolicy(state) : policyVersionNumbered(state, version);
    if (!found) throw new NotFoundError(`policy version ${version} does not exist; the current version is ${currentPolicy(state).version}`);
    return {
      version: found.version,
      effectiveFrom: found.effectiveFrom,
      builtIn: found.effectiveFrom === null,
      ...(found.publishedBy !== undefined && { publishedBy: found.publishedBy }),
      policy: found.policy,
    };
  }
}
