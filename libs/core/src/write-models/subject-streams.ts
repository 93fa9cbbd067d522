import { CommandPath, EventStore, RecordedEvent } from '@ledger/event-store';
import { evolve, initialSubjectState, SubjectState } from '@ledger/domain';
import { toSubjectEvent } from '@ledger/domain/projections';

/** Folds a stored subject-stream event, read the same way the projections read it; a type this code does not know changes nothing. */
export function evolveRecordedSubjectEvent(state: SubjectState, recorded: RecordedEvent): SubjectState {
  const event = toSubjectEvent(recorded);
  return event ? evolve(state, event) : state;
}

/**
 * The write model of subject streams: the one command path that ingestion and decisions share, so
 * they queue behind each other on a subject instead of racing on the expected revision, and a
 * subject's folded state is held in memory once.
 */
export function subjectCommandPath(store: EventStore): CommandPath<SubjectState> {
  // About 7 KB per folded subject. A command on a subject that fell out reads its stream again;
  // 10,000 of them were most of what grew in the process over two million events (B9).
  return new CommandPath(store, { initialState: initialSubjectState, evolve: evolveRecordedSubjectEvent, maxStreams: 2_000 });
}
