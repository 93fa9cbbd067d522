import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { SubjectStateAsOf, SubjectStateView } from '@ledger/core';
import { SubjectStateAsOfQuery } from './subject-state-as-of.query';

@QueryHandler(SubjectStateAsOfQuery)
export class SubjectStateAsOfHandler implements IQueryHandler<SubjectStateAsOfQuery, SubjectStateView> {
  private readonly replay: SubjectStateAsOf;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.replay = new SubjectStateAsOf(store);
  }

  execute({ subjectId, at }: SubjectStateAsOfQuery): Promise<SubjectStateView> {
    return this.replay.of(subjectId, at);
  }
}
