import { Query } from '@nestjs/cqrs';
import type { EvidenceReport } from './evidence-report';

export class GetEvidenceQuery extends Query<EvidenceReport> {
  constructor(
    readonly from: string | undefined,
    readonly to: string | undefined,
  ) {
    super();
  }
}
