import { ExpectedRevision, StreamRevision } from './event-store.port';

export class WrongExpectedRevisionError extends Error {
  readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: StreamRevision | -1,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`);
  }
}

export class StreamNotFoundError extends Error {
  readonly name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} not found`);
  }
}

/** An event id already present in the store (written by another stream or batch). */
export class DuplicateEventIdError extends Error {
  readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored`);
  }
}

/** The store cannot be reached or did not answer; the caller may retry later. */
export class EventStoreUnavailableError extends Error {
  readonly name = 'EventStoreUnavailableError';
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** An event id that is not a UUID: the port requires UUIDs, as EventStoreDB does. Nothing is written. */
export class InvalidEventIdError extends Error {
  readonly name = 'InvalidEventIdError';
  constructor(
    readonly eventId: string,
    message = `event id ${JSON.stringify(eventId)} is not a UUID`,
  ) {
    super(message);
  }
}
