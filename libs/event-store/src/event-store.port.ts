/**
 * The one port every event store adapter implements. Adapters are deliberately
 * dumb: hashing, idempotency and validation live above the port so that both
 * stores behave identically (see `hash-chain/` and the ingestion slice).
 */

/** Zero-based index of an event inside its stream; contiguous. */
export type StreamRevision = number;

/**
 * Total order over all events in the store. SQLite: the rowid. EventStoreDB:
 * the commit position in the transaction log. Numbers stay exact up to 2^53.
 */
export type GlobalPosition = number;

export type ExpectedRevision = StreamRevision | 'no_stream' | 'stream_exists' | 'any';

export interface EventToAppend {
  /**
   * UUID, derived by the caller so that a retry carries the same id. A repeated
   * append of the same ids at the same expected revision is one write in both
   * stores; SQLite also refuses the id in any other stream, EventStoreDB does not.
   */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  revision: StreamRevision;
  position: GlobalPosition;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** When the store committed the event. */
  recordedAt: Date;
}

export interface AppendResult {
  nextExpectedRevision: StreamRevision;
  /** Position of the last appended event. */
  position: GlobalPosition;
  /** The appended events as stored, in order, with revisions and positions. */
  events: RecordedEvent[];
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: ReadDirection;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: StreamRevision | 'start' | 'end';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Inclusive. Defaults to the beginning of the store. */
  fromPosition?: GlobalPosition;
  /** Counts the events returned: with `typePrefixes`, only those that match. */
  maxCount?: number;
  /**
   * Only events whose type starts with one of these. SQLite filters in its query, so a reader
   * that wants a few kinds of event out of a long log skips the rest without parsing them;
   * EventStoreDB's client has no filtered read of `$all`, so that adapter filters as it pages.
   */
  typePrefixes?: readonly string[];
}

export interface SubscribeOptions {
  /** Exclusive: the subscription delivers events strictly after it. Omit to start at the beginning. */
  afterPosition?: GlobalPosition;
}

/** Catches up, then goes live. Iterate it; `close()` ends the iteration. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Looks events up by id inside one stream. Used for idempotent ingestion;
   * the SQLite adapter answers from an index, EventStoreDB by scanning the stream.
   */
  findInStream(streamId: string, eventIds: string[]): Promise<RecordedEvent[]>;
  subscribe(options?: SubscribeOptions): EventSubscription;
  /**
   * Revision of the stream's newest event, or -1 when it has none. Cheaper than a read: a cache of
   * folded streams asks it before every command, and most of the time nothing has changed.
   */
  streamRevision(streamId: string): Promise<StreamRevision | -1>;
  /** Position of the newest event, or -1 for an empty store: how far behind a reader is, and how long a full pass will take. */
  headPosition(): Promise<GlobalPosition | -1>;
  /** Cheap liveness check used by health and by 503 handling. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** DI token for the port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
