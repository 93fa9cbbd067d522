import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '@ledger/event-store';
import { AuthenticationEvaluatedData, LEDGER_EVENT_TYPES, subjectStream } from '@ledger/domain';
import { NotFoundError } from '@ledger/core';
import { toSubjectEventView } from '../../ingestion/list-subject-events/list-subject-events.handler';
import { HistoryFilter, SubjectHistoryEntry, SubjectHistoryPage, SubjectHistoryQuery } from './subject-history.query';

const SCAN_PAGE = 500;
const AUTHENTICATIONS = new Set(['assurance.authentication.succeeded', 'assurance.authentication.failed']);

function matches(event: RecordedEvent, filter: HistoryFilter): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (!filter.from && !filter.to) return true;
  const time = Date.parse(String(event.metadata.time));
  return (!filter.from || time >= filter.from.getTime()) && (!filter.to || time <= filter.to.getTime());
}

function verdictOn(candidate: RecordedEvent | undefined, authentication: RecordedEvent): AuthenticationEvaluatedData | undefined {
  if (!candidate || candidate.type !== LEDGER_EVENT_TYPES.authenticationEvaluated) return undefined;
  const verdict = candidate.data as unknown as AuthenticationEvaluatedData;
  return verdict.authentication?.revision === authentication.revision ? verdict : undefined;
}

/**
 * A subject's events, decoded, filtered and paged by stream revision. Each
 * authentication carries the verdict the ledger wrote right after it, so an
 * auditor sees what happened and how it was judged in one row.
 */
@QueryHandler(SubjectHistoryQuery)
export class SubjectHistoryHandler implements IQueryHandler<SubjectHistoryQuery, SubjectHistoryPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ subjectId, filter, fromRevision, limit }: SubjectHistoryQuery): Promise<SubjectHistoryPage> {
    const stream = subjectStream(subjectId);
    const events: SubjectHistoryEntry[] = [];
    let next = fromRevision;
    for (;;) {
      const page = await this.read(stream, next, SCAN_PAGE + 1);
      if (page === undefined) throw new NotFoundError(`subject ${subjectId} has no events`);
      const scanned = page.slice(0, SCAN_PAGE);
      for (const [i, event] of scanned.entries()) {
        next = event.revision + 1;
        if (!matches(event, filter)) continue;
        const entry: SubjectHistoryEntry = toSubjectEventView(event);
        if (AUTHENTICATIONS.has(event.type)) {
          const verdict = verdictOn(page[i + 1], event);
          if (verdict) entry.verdict = verdict;
        }
        events.push(entry);
        if (events.length === limit) return { subjectId, events, nextCursor: page.length > i + 1 ? String(next) : null };
      }
      if (page.length <= SCAN_PAGE) return { subjectId, events, nextCursor: null };
    }
  }

  private async read(stream: string, fromRevision: number, maxCount: number): Promise<RecordedEvent[] | undefined> {
    try {
      return await this.store.readStream(stream, { fromRevision, maxCount });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }
}
