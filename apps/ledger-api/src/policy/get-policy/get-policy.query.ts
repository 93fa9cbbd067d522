import { Query } from '@nestjs/cqrs';
import type { PolicyVersionView } from '@ledger/core';

/** Without a version: the current one. */
export class GetPolicyQuery extends Query<PolicyVersionView> {
  constructor(readonly version?: number) {
    super();
  }
}
