import { RecordedEvent } from '@ledger/event-store';
import { evolve, SubjectState } from '@ledger/domain';
import { toSubjectEvent } from '@ledger/domain/projections';

/** Folds a stored subject-stream event, read the same way the projections read it; a type this code does not know changes nothing. */
export function evolveRecordedSubjectEvent(state: SubjectState, recorded: RecordedEvent): SubjectState {
  const event = toSubjectEvent(recorded);
  return event ? evolve(state, event) : state;
}
