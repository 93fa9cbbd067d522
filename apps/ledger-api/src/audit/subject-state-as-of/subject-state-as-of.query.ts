import { Query } from '@nestjs/cqrs';
import type { SubjectStateView } from '../../projections/get-subject-state/subject-state.view';

/** Exactly one of the two bounds is set. */
export type PointInTime = { asOf: Date } | { atPosition: number };

export class SubjectStateAsOfQuery extends Query<SubjectStateView> {
  constructor(
    readonly subjectId: string,
    readonly at: PointInTime,
  ) {
    super();
  }
}
