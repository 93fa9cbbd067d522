import { Query } from '@nestjs/cqrs';
import type { PointInTime, SubjectStateView } from '@ledger/core';

export class SubjectStateAsOfQuery extends Query<SubjectStateView> {
  constructor(
    readonly subjectId: string,
    readonly at: PointInTime,
  ) {
    super();
  }
}
