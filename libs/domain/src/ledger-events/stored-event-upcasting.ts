import { isKnownEventType } from '../event-catalog/catalog';
import { SchemaVersionError, upcast, UpcastResult } from '../event-catalog/upcasting';
import type { ExceptionEvent } from '../governance/exceptions/exception-events';
import { isReviewCaseEventType, ReviewCaseEvent } from '../governance/review-cases/review-case-events';
import type { PolicyPublishedEvent } from '../policy/policy-history';
import type { SubjectEvent } from '../subject/subject-state';
import { isLedgerEventType, LEDGER_SCHEMA_VERSIONS } from './ledger-events';

/**
 * Upcasts any event read from a subject or policy stream: catalog types go
 * through the catalog's upcasters, ledger types through their own version
 * table. Ledger types have one version so far, so only the range is checked.
 */
export function upcastStoredEvent(type: string, schemaVersion: number, data: unknown): UpcastResult {
  if (!isLedgerEventType(type)) return upcast(type as never, schemaVersion, data);
  const latest = LEDGER_SCHEMA_VERSIONS[type];
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > latest) {
    throw new SchemaVersionError(
      type as never,
      schemaVersion,
      `${type} has schemaVersion ${String(schemaVersion)}; this code reads 1 to ${latest}`,
    );
  }
  return { schemaVersion, data };
}

/** What every stored event carries, whatever the store: enough to upcast and type it. */
export interface StoredEventLike {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  revision?: number;
}

/**
 * A stored event as the domain reads it (exports, projections), without depending on the store's
 * own types: the domain stays free of infrastructure. The store's RecordedEvent satisfies it.
 */
export interface StoredEventFields {
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** The one place a stored event's schema version is read: its metadata says, and events written before versions were recorded are version 1. */
export function upcastRecorded(event: StoredEventLike): UpcastResult {
  return upcastStoredEvent(event.type, Number(event.metadata.schemaVersion ?? 1), event.data);
}

/** Every event the ledger's streams hold, typed by its `type`. */
export type LedgerStreamEvent = SubjectEvent | PolicyPublishedEvent | ExceptionEvent | ReviewCaseEvent;

/**
 * A stored event as the domain types it, upcast here once; `undefined` for a type this code does
 * not know (retired, or newer than this code), which every fold skips. `time` is the event's own.
 */
export function typedStoredEvent(event: StoredEventLike): LedgerStreamEvent | undefined {
  if (!isKnownEventType(event.type) && !isLedgerEventType(event.type)) return undefined;
  const { data } = upcastRecorded(event);
  const time = typeof event.metadata.time === 'string' ? event.metadata.time : undefined;
  // The only cast of stored data: the catalog validated it when it was written, and the upcasters bring it to the latest shape.
  return { type: event.type, data, time, revision: event.revision } as LedgerStreamEvent;
}

/**
 * A fold over one kind of typed event, made a fold over stored events: each is typed here, and an
 * event of another kind, or of a type this code does not know, changes nothing.
 */
export function evolveRecorded<S, E extends LedgerStreamEvent>(
  isKind: (event: LedgerStreamEvent) => event is E,
  evolve: (state: S, event: E) => S,
): (state: S, recorded: StoredEventLike) => S {
  return (state, recorded) => {
    const event = typedStoredEvent(recorded);
    return event && isKind(event) ? evolve(state, event) : state;
  };
}

export function isExceptionEvent(event: LedgerStreamEvent): event is ExceptionEvent {
  return event.type.startsWith('assurance.exception.');
}

export function isReviewCaseEvent(event: LedgerStreamEvent): event is ReviewCaseEvent {
  return isReviewCaseEventType(event.type);
}

export function isPolicyPublishedEvent(event: LedgerStreamEvent): event is PolicyPublishedEvent {
  return event.type === 'assurance.policy.published';
}

/** Everything a subject stream holds: the catalog's events and the ledger's judgements on them. */
export function isSubjectEvent(event: LedgerStreamEvent): event is SubjectEvent {
  return !isExceptionEvent(event) && !isReviewCaseEvent(event) && !isPolicyPublishedEvent(event);
}
