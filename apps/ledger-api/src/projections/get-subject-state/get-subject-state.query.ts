import { Query } from '@nestjs/cqrs';
import type { SubjectStateView } from '@ledger/core';

export class GetSubjectStateQuery extends Query<SubjectStateView> {
  constructor(
    readonly subjectId: string,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
