import { Query } from '@nestjs/cqrs';
import type { PostureReport } from '@ledger/domain/projections';

export interface PostureAnswer extends PostureReport {
  position: number;
}

export class GetPostureQuery extends Query<PostureAnswer> {
  constructor(
    readonly from: string | undefined,
    readonly to: string | undefined,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
