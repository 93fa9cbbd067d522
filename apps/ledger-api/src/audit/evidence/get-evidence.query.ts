import { Query } from '@nestjs/cqrs';
import type { EvidenceReport } from '@ledger/core';

export class GetEvidenceQuery extends Query<EvidenceReport> {
  constructor(
    readonly from: string | undefined,
    readonly to: string | undefined,
  ) {
    super();
  }
}
