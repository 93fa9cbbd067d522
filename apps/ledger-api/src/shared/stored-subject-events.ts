import { RecordedEvent } from '@ledger/event-store';
import { evolve, SubjectEvent, SubjectState, upcastStoredEvent } from '@ledger/domain';

/** A stored subject-stream event, ingested or ledger-written, as the domain sees it. */
export function toSubjectEvent(recorded: RecordedEvent): SubjectEvent {
  const { data } = upcastStoredEvent(recorded.type, Number(recorded.metadata.schemaVersion ?? 1), recorded.data);
  return {
    type: recorded.type,
    data,
    time: typeof recorded.metadata.time === 'string' ? recorded.metadata.time : undefined,
    revision: recorded.revision,
  } as SubjectEvent;
}

export function evolveRecordedSubjectEvent(state: SubjectState, recorded: RecordedEvent): SubjectState {
  return evolve(state, toSubjectEvent(recorded));
}
