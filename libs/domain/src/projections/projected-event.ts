import { isSubjectEvent, StoredEventFields, typedStoredEvent } from '../ledger-events';
import { SubjectEvent } from '../subject';

/** An event as the projections receive it from the store: its fields and when the store recorded it. */
export interface StoredEventFacts extends StoredEventFields {
  recordedAt: Date;
}

const UTC_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UTC_MILLISECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** RFC 3339 text as `toISOString()` writes it, or undefined when it is not a time. */
export function normalizedTime(time: unknown): string | undefined {
  if (typeof time !== 'string') return undefined;
  // The common shapes are normalised without a Date round trip: this runs for every event of a rebuild.
  if (UTC_MILLISECONDS.test(time)) return time;
  if (UTC_SECONDS.test(time)) return `${time.slice(0, -1)}.000Z`;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/**
 * When the fact happened, normalised so that times compare as strings in the
 * read models: the emitter's time, else the ledger's clock.
 */
export function occurredAtOf(event: StoredEventFacts): string {
  return normalizedTime(event.metadata.time) ?? event.recordedAt.toISOString();
}

/**
 * The event in the shape `evolve` folds, upcast the same way the ingestion
 * side reads it (catalog and ledger types alike). Anything else (a type retired or
 * not yet known to this code) is `undefined`, and the projections skip it.
 */
export function toSubjectEvent(event: StoredEventFacts): SubjectEvent | undefined {
  const typed = typedStoredEvent(event);
  return typed && isSubjectEvent(typed) ? typed : undefined;
}
