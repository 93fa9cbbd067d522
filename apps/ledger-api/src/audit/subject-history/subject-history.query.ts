import { Query } from '@nestjs/cqrs';
import type { AuthenticationEvaluatedData } from '@ledger/domain';
import type { SubjectEventView } from '../../ingestion/list-subject-events/list-subject-events.query';

export interface HistoryFilter {
  /** Inclusive bounds on when the event happened. */
  from?: Date;
  to?: Date;
  types?: string[];
}

export interface SubjectHistoryEntry extends SubjectEventView {
  /** For an authentication: the ledger's verdict on it, under the policy version in force then. */
  verdict?: AuthenticationEvaluatedData;
}

export interface SubjectHistoryPage {
  subjectId: string;
  events: SubjectHistoryEntry[];
  /** Pass as `cursor` for the next page; null when the stream has been read to its end. */
  nextCursor: string | null;
}

export class SubjectHistoryQuery extends Query<SubjectHistoryPage> {
  constructor(
    readonly subjectId: string,
    readonly filter: HistoryFilter,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}
