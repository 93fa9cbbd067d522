import { Query } from '@nestjs/cqrs';
import type { AuthenticationFilter } from '@ledger/read-models';

export interface AuthenticationsCount {
  position: number;
  count: number;
}

/** How many rows the authentications query would page through: what the evidence report cites. */
export class CountAuthenticationsQuery extends Query<AuthenticationsCount> {
  constructor(
    readonly filter: AuthenticationFilter,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
