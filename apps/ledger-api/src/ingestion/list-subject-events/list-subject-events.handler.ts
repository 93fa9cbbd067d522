import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '@ledger/event-store';
import { subjectStream, upcastRecorded } from '@ledger/domain';
import { NotFoundError } from '@ledger/core';
import { ListSubjectEventsQuery, SubjectEventsPage, SubjectEventView } from './list-subject-events.query';

export function toSubjectEventView(event: RecordedEvent): SubjectEventView {
  const metadata = event.metadata as Record<string, unknown>;
  const upcasted = upcastRecorded(event);
  return {
    revision: event.revision,
    position: event.position,
    id: String(metadata.cloudEventId),
    source: String(metadata.source),
    type: event.type,
    time: String(metadata.time),
    recordedAt: String(metadata.recordedAt),
    schemaVersion: upcasted.schemaVersion,
    data: upcasted.data as Record<string, unknown>,
    correlationId: String(metadata.correlationId),
    causationId: String(metadata.causationId),
    writtenBy: typeof metadata.writtenBy === 'string' ? metadata.writtenBy : null,
    prevHash: String(metadata.prevHash),
    hash: String(metadata.hash),
  };
}

@QueryHandler(ListSubjectEventsQuery)
export class ListSubjectEventsHandler implements IQueryHandler<ListSubjectEventsQuery, SubjectEventsPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ subjectId, fromRevision, limit }: ListSubjectEventsQuery): Promise<SubjectEventsPage> {
    const stream = subjectStream(subjectId);
    let events: RecordedEvent[];
    try {
      // One extra event tells whether another page follows.
      events = await this.store.readStream(stream, { fromRevision, maxCount: limit + 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new NotFoundError(`subject ${subjectId} has no events`);
      throw error;
    }
    const page = events.slice(0, limit);
    return {
      subjectId,
      stream,
      events: page.map(toSubjectEventView),
      nextRevision: events.length > limit ? events[limit].revision : null,
    };
  }
}
