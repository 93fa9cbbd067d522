import { v5 as uuidv5 } from 'uuid';

/**
 * Namespace for event ids derived from an emitter's (source, id). Deterministic ids make a
 * retried request map onto the events it already wrote, in both stores.
 */
const EVENT_ID_NAMESPACE = '5b0c4f0e-2a51-4c38-9d0c-8f3e3c1f2a77';

/**
 * Namespace for the ids of events the ledger writes itself (verdicts, decisions, policy versions).
 * It is a different UUID namespace, so no emitter's (source, id) can derive one of these ids, whatever
 * the source or id holds: a forged "verdict" id can never block the ledger's own event.
 */
const LEDGER_EVENT_ID_NAMESPACE = 'a3d2e9b4-6f1c-4e57-8b0a-2c9d7e4f1b63';

/**
 * Sources and ids may not hold control characters, so the NUL that joins them is unambiguous.
 * (Unchanged since the first release: a retry must find the event its first attempt wrote.)
 */
export function eventIdFor(source: string, id: string): string {
  return uuidv5(utf8(`${source}\u0000${id}`), EVENT_ID_NAMESPACE);
}

export function ledgerEventIdFor(idKey: string): string {
  return uuidv5(utf8(idKey), LEDGER_EVENT_ID_NAMESPACE);
}

/** UTF-8 bytes; a string that is not well-formed Unicode is refused at the boundary, never silently replaced here. */
function utf8(text: string): Uint8Array {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    throw new TypeError('an event id key must be well-formed Unicode');
  }
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
