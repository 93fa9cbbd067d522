import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { EventStore, EventToAppend, RecordedEvent } from '../event-store.port';
import { chainEvents, expectedRevisionAfter } from '../hash-chain/chain-events';
import { KeyedMutex } from '../hash-chain/keyed-mutex';
import { StreamState, StreamStateCache, StreamStateCacheOptions } from '../stream-state/stream-state-cache';

/**
 * How many times a command is decided again when another writer appended to its
 * stream between our read and our write. Past that the stream is contended and the
 * caller is told so rather than kept waiting.
 */
export const MAX_APPEND_ATTEMPTS = 8;

/** What a command decided on a stream's state: events to append after its tail, and the caller's answer. */
export interface Decision<R> {
  /** Unchained: the path chains them onto the tail it decided on. None means nothing to write. */
  events: EventToAppend[];
  result: R;
}

export type Decide<S, R> = (loaded: StreamState<S>, streamId: string) => Decision<R> | Promise<Decision<R>>;

export interface Handled<S, R> {
  streamId: string;
  result: R;
  /** The state the decision was taken on. */
  before: StreamState<S>;
  /** The events as stored, in order; empty when the decision appended nothing. */
  appended: RecordedEvent[];
}

/** A write that lost to another writer: the stream moved, or one of its ids was already stored. */
export type AppendConflict = WrongExpectedRevisionError | DuplicateEventIdError;

export interface HandleOptions {
  /** 1 when a conflict is the caller's to answer (two reviewers, two policy authors); default MAX_APPEND_ATTEMPTS. */
  maxAttempts?: number;
  /** The caller's error for a conflict that outlived every attempt; by default the stream is reported as contended. */
  onConflict?: (conflict: AppendConflict, streamId: string) => Error;
  /** Also treat a duplicate event id as a conflict; otherwise it is the caller's to explain. */
  duplicateIdIsConflict?: boolean;
}

export interface HandleAllOptions<R> extends HandleOptions {
  /**
   * Sees every stream's decision before any is written, and may refuse the whole command by
   * throwing: a check that spans streams (one batch, many subjects) and must leave all untouched.
   */
  beforeAppend?: (results: R[]) => void;
}

export interface CommandPathOptions<S> extends StreamStateCacheOptions<S> {
  /**
   * Queue commands on one stream behind each other in this process (the default), so that only
   * other processes cause retries. Off where two people acting at once must be told of each other
   * (two reviewers on one case), rather than the second being decided on the first one's outcome.
   */
  queue?: boolean;
}

/**
 * The one way the ledger writes: load the stream's state (from the cache, reading only what is
 * new), decide, chain the decided events onto the tail it was decided on, append at that expected
 * revision, and on a conflict forget the cached state and decide again, a bounded number of times.
 * Every writer of the ledger goes through it: ingestion, decisions, policy publication, exceptions,
 * review cases and audit checkpoints.
 */
export class CommandPath<S> {
  private readonly states: StreamStateCache<S>;
  private readonly locks = new KeyedMutex();
  private readonly queue: boolean;

  constructor(
    private readonly store: EventStore,
    options: CommandPathOptions<S>,
  ) {
    this.states = new StreamStateCache(store, options);
    this.queue = options.queue ?? true;
  }

  /** The stream's state as this process last knew it, brought up to date. */
  load(streamId: string): Promise<StreamState<S>> {
    return this.states.load(streamId);
  }

  handle<R>(streamId: string, decide: Decide<S, R>, options: HandleOptions = {}): Promise<Handled<S, R>> {
    return this.exclusive([streamId], () => this.decideAndAppend(streamId, decide, options));
  }

  /**
   * One command over several streams. Every stream is decided before any is written, so a decision
   * that throws leaves all of them untouched; the appends then start in the same turn of the event
   * loop (the SQLite store commits them together). A stream that conflicts is decided again alone.
   */
  handleAll<R>(streamIds: string[], decide: Decide<S, R>, options: HandleAllOptions<R> = {}): Promise<Handled<S, R>[]> {
    return this.exclusive(streamIds, async () => {
      const decided = await Promise.all(streamIds.map(async (streamId) => this.decide(streamId, decide)));
      options.beforeAppend?.(decided.map((pending) => pending.result));
      return Promise.all(
        decided.map((pending) => this.append(pending).catch((error: unknown) => this.retry(error, pending.streamId, decide, options, 1))),
      );
    });
  }

  private exclusive<T>(streamIds: string[], work: () => Promise<T>): Promise<T> {
    return this.queue ? this.locks.runExclusive(streamIds, work) : work();
  }

  private async decideAndAppend<R>(
    streamId: string,
    decide: Decide<S, R>,
    options: HandleAllOptions<R>,
    attempt = 1,
  ): Promise<Handled<S, R>> {
    const pending = await this.decide(streamId, decide);
    // A stream decided again after a conflict is checked like the first time, alone now.
    options.beforeAppend?.([pending.result]);
    try {
      return await this.append(pending);
    } catch (error) {
      return this.retry(error, streamId, decide, options, attempt);
    }
  }

  private async decide<R>(streamId: string, decide: Decide<S, R>): Promise<Handled<S, R> & { events: EventToAppend[] }> {
    const before = await this.states.load(streamId);
    const { events, result } = await decide(before, streamId);
    return { streamId, result, before, appended: [], events };
  }

  private async append<R>(pending: Handled<S, R> & { events: EventToAppend[] }): Promise<Handled<S, R>> {
    const { streamId, before, events, result } = pending;
    if (events.length === 0) return { streamId, result, before, appended: [] };
    const stored = await this.store.append(streamId, chainEvents(streamId, before.tail, events), expectedRevisionAfter(before.tail));
    this.states.applyAppended(streamId, before, stored);
    return { streamId, result, before, appended: stored.events };
  }

  private retry<R>(
    error: unknown,
    streamId: string,
    decide: Decide<S, R>,
    options: HandleAllOptions<R>,
    attempt: number,
  ): Promise<Handled<S, R>> {
    const conflict =
      error instanceof WrongExpectedRevisionError || (options.duplicateIdIsConflict === true && error instanceof DuplicateEventIdError);
    if (!conflict) throw error;
    // Another process wrote to this stream: what we knew of it is stale.
    this.states.forget(streamId);
    if (attempt >= (options.maxAttempts ?? MAX_APPEND_ATTEMPTS)) {
      throw (
        options.onConflict?.(error, streamId) ??
        new EventStoreUnavailableError(`stream ${streamId} is contended; gave up after ${attempt} attempts`, error)
      );
    }
    return this.decideAndAppend(streamId, decide, options, attempt + 1);
  }
}
