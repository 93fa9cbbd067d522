import { EventToAppend } from '@ledger/event-store';
import { LEDGER_SCHEMA_VERSIONS, LEDGER_SOURCE, LedgerEventType } from '@ledger/domain';
import { ledgerEventIdFor } from './event-ids';

export interface LedgerWrittenEvent {
  type: LedgerEventType;
  data: object;
  /** Stable and readable: `<authentication id>#verdict`, the decision id, `policy-default#v2`. */
  cloudEventId: string;
  /** Stable and unique in the store; defaults to cloudEventId when that is unique on its own. */
  idKey?: string;
  subject: string;
  time: string;
  recordedAt: string;
  correlationId: string;
  /** Store id of the event or request that caused this one. */
  causationId: string;
  /** Name of the API key whose request made the ledger write this. */
  writtenBy?: string;
  /** Public id of that API key. */
  writtenByKeyId?: string;
}

/** Metadata shaped like an ingested event's, so readers and the audit treat both alike. */
export function ledgerEventToAppend(event: LedgerWrittenEvent): EventToAppend {
  return {
    id: ledgerEventIdFor(event.idKey ?? event.cloudEventId),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      schemaVersion: LEDGER_SCHEMA_VERSIONS[event.type],
      source: LEDGER_SOURCE,
      cloudEventId: event.cloudEventId,
      subject: event.subject,
      time: event.time,
      recordedAt: event.recordedAt,
      correlationId: event.correlationId,
      causationId: event.causationId,
      ...(event.writtenBy !== undefined && { writtenBy: event.writtenBy }),
      ...(event.writtenByKeyId !== undefined && { writtenByKeyId: event.writtenByKeyId }),
    },
  };
}
