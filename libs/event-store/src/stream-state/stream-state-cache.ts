import { StreamNotFoundError } from '../event-store.errors';
import { AppendResult, EventStore, RecordedEvent } from '../event-store.port';
import { chainFieldsOf, GENESIS_HASH } from '../hash-chain/event-hash';
import { StreamTail } from '../hash-chain/chain-events';

export interface StreamState<S> {
  state: S;
  tail: StreamTail;
}

export interface StreamStateCacheOptions<S> {
  initialState: () => S;
  evolve: (state: S, event: RecordedEvent) => S;
  /** Most recently used streams kept in memory. */
  maxStreams?: number;
}

/**
 * Folds streams into state and keeps the result, so that the next command on
 * a stream reads only the events appended since. `evolve` must not mutate
 * its input: cached states are shared.
 */
export class StreamStateCache<S> {
  private readonly entries = new Map<string, StreamState<S>>();
  private readonly maxStreams: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: StreamStateCacheOptions<S>,
  ) {
    this.maxStreams = options.maxStreams ?? 10_000;
  }

  async load(streamId: string): Promise<StreamState<S>> {
    const cached = this.entries.get(streamId);
    // Most loads find nothing new: ask for the newest revision, not for the events after it, and a
    // stream that does not exist yet (the policy before its first publication) costs no failed read.
    if (cached && (await this.store.streamRevision(streamId)) === cached.tail.revision) {
      this.remember(streamId, cached);
      return cached;
    }
    let current = cached ?? this.initial();
    let newer: RecordedEvent[];
    do {
      newer = await this.readAfter(streamId, current.tail.revision);
      current = this.fold(current, newer);
    } while (newer.length === PAGE);
    this.remember(streamId, current);
    return current;
  }

  /** Records what this process just appended, so the next load reads nothing. */
  applyAppended(streamId: string, before: StreamState<S>, appended: AppendResult): StreamState<S> {
    const after = this.fold(before, appended.events);
    this.remember(streamId, after);
    return after;
  }

  private initial(): StreamState<S> {
    return { state: this.options.initialState(), tail: { revision: -1, lastHash: GENESIS_HASH } };
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  private fold(from: StreamState<S>, events: RecordedEvent[]): StreamState<S> {
    if (events.length === 0) return from;
    const state = events.reduce(this.options.evolve, from.state);
    const last = events[events.length - 1];
    return { state, tail: { revision: last.revision, lastHash: chainFieldsOf(last).hash ?? GENESIS_HASH } };
  }

  private async readAfter(streamId: string, revision: number): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamId, { fromRevision: revision + 1, maxCount: PAGE });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private remember(streamId: string, entry: StreamState<S>): void {
    // Map keeps insertion order: delete and re-insert marks it most recent.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }
}

const PAGE = 1000;
