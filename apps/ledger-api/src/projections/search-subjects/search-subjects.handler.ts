import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { decodeCursor, encodeCursor } from '../cursor';
import { ReadConsistency } from '../read-consistency';
import { SearchSubjectsQuery, SubjectSearchPage } from './search-subjects.query';

@QueryHandler(SearchSubjectsQuery)
export class SearchSubjectsHandler implements IQueryHandler<SearchSubjectsQuery, SubjectSearchPage> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
  ) {}

  async execute({ prefix, limit, cursor, minPosition }: SearchSubjectsQuery): Promise<SubjectSearchPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, 1)[0];
    await this.consistency.ensure(minPosition);
    // One extra row tells whether another page follows.
    const { position, value } = await this.readModels.searchSubjects({ prefix, after, limit: limit + 1 });
    const subjects = value.slice(0, limit);
    return {
      position,
      subjects,
      nextCursor: value.length > limit ? encodeCursor([subjects[subjects.length - 1].subjectId]) : null,
    };
  }
}
