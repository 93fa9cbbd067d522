import { v5 as uuidv5 } from 'uuid';
import { LEDGER_SOURCE } from '@ledger/domain';

/**
 * Namespace for event ids derived from (source, id). Deterministic ids make a
 * retried request map onto the events it already wrote, in both stores.
 */
const EVENT_ID_NAMESPACE = '5b0c4f0e-2a51-4c38-9d0c-8f3e3c1f2a77';

export function eventIdFor(source: string, id: string): string {
  return uuidv5(`${source}\u0000${id}`, EVENT_ID_NAMESPACE);
}

/** Ingestion refuses LEDGER_SOURCE, so these ids can never collide with an emitter's. */
export function ledgerEventIdFor(cloudEventId: string): string {
  return eventIdFor(LEDGER_SOURCE, cloudEventId);
}
