import { Query } from '@nestjs/cqrs';
import { AssurancePolicy } from '@ledger/domain';

export interface PolicyVersionView {
  version: number;
  /** null for the built-in version 1, in force from the beginning of time. */
  effectiveFrom: string | null;
  builtIn: boolean;
  publishedBy?: string;
  policy: AssurancePolicy;
}

/** Without a version: the current one. */
export class GetPolicyQuery extends Query<PolicyVersionView> {
  constructor(readonly version?: number) {
    super();
  }
}
