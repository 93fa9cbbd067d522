import type { ExceptionPosture } from '@ledger/domain';
import { Query } from '@nestjs/cqrs';
import type { PostureReport } from '@ledger/domain/projections';

export interface PostureAnswer extends PostureReport {
  position: number;
  /** Exceptions in force now by age, and the applications that depend on renewed ones. */
  exceptions: ExceptionPosture;
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
