import { Query } from '@nestjs/cqrs';
import type { SubjectListing } from '@ledger/read-models';

export interface SubjectSearchPage {
  position: number;
  subjects: SubjectListing[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class SearchSubjectsQuery extends Query<SubjectSearchPage> {
  constructor(
    readonly prefix: string,
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
