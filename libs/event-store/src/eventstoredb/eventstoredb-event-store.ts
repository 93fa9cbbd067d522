import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  Position,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import {
  AppendResult,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamRevision,
  SubscribeOptions,
} from '../event-store.port';

/** Environment variable production reads the connection string from. */
export const EVENTSTORE_CONNECTION_STRING_ENV = 'EVENTSTORE_CONNECTION_STRING';

export interface EventStoreDbEventStoreOptions {
  /** How long ping() waits for the server before reporting it unavailable. Default 5000 ms. */
  pingTimeoutMs?: number;
  /** Page size used when readAll has to skip system events. Default 256. */
  readAllPageSize?: number;
}

/** Any event the client hands back, from a stream read, a `$all` read or a subscription. */
type ClientResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;
type ClientRecordedEvent = NonNullable<ClientResolvedEvent['event']>;

/** The client's read streams (a Node Transform) expose `cancel()`, which ends the gRPC call. */
interface CancellableRead extends AsyncIterable<ClientResolvedEvent> {
  cancel(): Promise<void>;
}

/** Above this a commit position cannot be a JS number exactly (and 2^64-1 means "unknown"). */
const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * EventStoreDB adapter for the {@link EventStore} port, over the official gRPC client.
 *
 * Positions: our {@link GlobalPosition} is the event's *commit* position in the
 * transaction log. EventStoreDB positions are (commit, prepare) pairs; we rebuild
 * the pair as `{ commit: P, prepare: P }`. This relies on an assumption that holds
 * for everything written through gRPC: appends over gRPC have no explicit
 * transactions, so every event is an implicitly committed ("self-committed")
 * prepare record and the server reports commit == prepare for each event. (Events
 * written inside explicit TCP-era transactions would break this; this ledger never
 * writes them.) The in-repo gRPC test double behaves the same way.
 */
function hasTypePrefix(event: RecordedEvent, prefixes: readonly string[] | undefined): boolean {
  return prefixes === undefined || prefixes.some((prefix) => event.type.startsWith(prefix));
}

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly pingTimeoutMs: number;
  private readonly readAllPageSize: number;
  private closed = false;

  constructor(connectionString: string, options: EventStoreDbEventStoreOptions = {}) {
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.readAllPageSize = Math.max(1, options.readAllPageSize ?? 256);
  }

  async append(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
        { expectedRevision: toClientExpectedRevision(expectedRevision) },
      );
    } catch (error) {
      throw mapError(error, { streamId, expectedRevision });
    }
    const nextExpectedRevision = toNumber(result.nextExpectedRevision, 'revision');
    if (events.length === 0) {
      return {
        nextExpectedRevision,
        position: result.position ? toPosition(result.position) : -1,
        events: [],
      };
    }
    // The append result only carries the last position: read the appended range back
    // so that every event comes with its revision and position as stored. For an
    // idempotent re-append the server answers with the original revisions, so this
    // returns the original events and positions.
    const first = nextExpectedRevision - events.length + 1;
    const stored = await this.readStream(streamId, { direction: 'forwards', fromRevision: first, maxCount: events.length });
    const mismatch = stored.length !== events.length || stored.some((event, i) => event.id !== events[i].id);
    if (mismatch) {
      throw new Error(`EventStoreDB append to ${streamId}: revisions ${first}..${nextExpectedRevision} do not hold the appended event ids`);
    }
    return { nextExpectedRevision, position: stored[stored.length - 1].position, events: stored };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const fromRevision = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision: toReadRevision(fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      }) as unknown as CancellableRead;
      await consume(read, (resolved) => {
        const event = toRecordedEvent(resolved);
        if (event) out.push(event);
        return true;
      });
    } catch (error) {
      throw mapError(error, { streamId });
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // `$all` holds system events, which the client's readAll cannot filter server-side,
    // so page through it until maxCount user events are collected or the log ends.
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    let from: ReadPosition = options.fromPosition === undefined ? START : toClientPosition(options.fromPosition);
    let skipPosition: GlobalPosition | undefined;
    try {
      while (out.length < wanted) {
        const pageSize = Number.isFinite(wanted)
          ? Math.max(this.readAllPageSize, wanted - out.length) + (skipPosition === undefined ? 0 : 1)
          : Number.MAX_SAFE_INTEGER;
        let seen = 0;
        let lastPosition: GlobalPosition | undefined;
        const read = this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: pageSize }) as unknown as CancellableRead;
        await consume(read, (resolved) => {
          seen++;
          const event = toRecordedEvent(resolved);
          if (!event) return true;
          lastPosition = event.position;
          if (event.position === skipPosition) return true;
          if (isUserEvent(event) && hasTypePrefix(event, options.typePrefixes)) out.push(event);
          return out.length < wanted;
        });
        if (seen < pageSize || lastPosition === undefined || out.length >= wanted) break;
        // A read from a position includes it: the next page starts at the last event seen, skipping it.
        from = toClientPosition(lastPosition);
        skipPosition = lastPosition;
      }
    } catch (error) {
      throw mapError(error, {});
    }
    return out;
  }

  async findInStream(streamId: string, eventIds: string[]): Promise<RecordedEvent[]> {
    const wanted = new Set(eventIds);
    const found: RecordedEvent[] = [];
    if (wanted.size === 0) return found;
    try {
      const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END }) as unknown as CancellableRead;
      await consume(read, (resolved) => {
        const event = toRecordedEvent(resolved);
        if (event && wanted.delete(event.id)) found.push(event);
        return wanted.size > 0;
      });
    } catch (error) {
      const mapped = mapError(error, { streamId });
      if (mapped instanceof StreamNotFoundError) return [];
      throw mapped;
    }
    return found;
  }

  subscribe(options: SubscribeOptions = {}): EventSubscription {
    // A subscription from a position excludes it, which is exactly `afterPosition`.
    const source = this.client.subscribeToAll({
      fromPosition: options.afterPosition === undefined ? START : toClientPosition(options.afterPosition),
      filter: excludeSystemEvents(),
    });
    const subscription = new EventStoreDbSubscription(source, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(streamId: string): Promise<StreamRevision | -1> {
    try {
      const [newest] = await this.readStream(streamId, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
      return newest?.revision ?? -1;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return -1;
      throw error;
    }
  }

  async headPosition(): Promise<GlobalPosition | -1> {
    // The newest entries of $all may be system events; walk back until a user event shows up.
    let head: GlobalPosition | -1 = -1;
    try {
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END }) as unknown as CancellableRead;
      await consume(read, (resolved) => {
        const event = toRecordedEvent(resolved);
        if (event && isUserEvent(event)) head = event.position;
        return head === -1;
      });
    } catch (error) {
      throw mapError(error, {});
    }
    return head;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }) as unknown as CancellableRead;
    try {
      await Promise.race([
        consume(read, () => false),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            read.cancel().catch(() => undefined);
            reject(new EventStoreUnavailableError(`EventStoreDB did not answer a ping within ${this.pingTimeoutMs} ms`));
          }, this.pingTimeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) throw error;
      // Whatever stops a one-event read of $all (unreachable, refused, not ready, denied)
      // means the store cannot be used right now.
      const mapped = mapError(error, {});
      throw mapped instanceof EventStoreUnavailableError
        ? mapped
        : new EventStoreUnavailableError(`EventStoreDB ping failed: ${describe(error)}`, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
    // dispose() cancels the open calls but leaves the gRPC channel (and its socket) open.
    // The channel accessor is not part of the client's typed surface, hence the cast.
    try {
      const channelOwner = this.client as unknown as { getChannel?: () => Promise<{ close(): void }> };
      const channel = await channelOwner.getChannel?.();
      channel?.close();
    } catch {
      /* best effort: the channel may never have been created */
    }
  }
}

/** Builds the adapter from a connection string (production passes `process.env.EVENTSTORE_CONNECTION_STRING`). */
export function createEventStoreDbEventStore(connectionString: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
  if (!connectionString) throw new Error(`${EVENTSTORE_CONNECTION_STRING_ENV} is not set`);
  return new EventStoreDbEventStore(connectionString, options);
}

/**
 * Adapts the client's subscription (a Node stream) to our {@link EventSubscription}.
 * Events are buffered in a queue; `close()` ends the iteration at once, whatever is
 * buffered, and cancels the gRPC call. (The client's own stream does not reliably end
 * after `unsubscribe()`, so the iteration does not rely on it.)
 */
class EventStoreDbSubscription implements EventSubscription {
  private static readonly HIGH_WATER = 1024;
  private readonly queue: RecordedEvent[] = [];
  private readonly waiters: Array<{ resolve(result: IteratorResult<RecordedEvent>): void; reject(error: unknown): void }> = [];
  private failure: unknown;
  private done = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly onClosed: () => void,
  ) {
    source.on('data', (resolved: AllStreamResolvedEvent) => {
      let event: RecordedEvent | undefined;
      try {
        event = toRecordedEvent(resolved);
      } catch (error) {
        this.fail(error);
        return;
      }
      // The server filter drops `$` event types; `$`-prefixed streams are dropped here too.
      if (!event || !isUserEvent(event) || this.done) return;
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve({ value: event, done: false });
      else {
        this.queue.push(event);
        if (this.queue.length >= EventStoreDbSubscription.HIGH_WATER) source.pause();
      }
    });
    source.on('error', (error: unknown) => this.fail(mapError(error, {})));
    source.on('end', () => this.finish(false));
    source.on('close', () => this.finish(false));
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.finish(true);
      this.closing = (async () => {
        try {
          await this.source.unsubscribe();
        } catch {
          /* the call may already be gone */
        }
        this.source.destroy();
        this.onClosed();
      })();
    }
    return this.closing;
  }

  private next(): Promise<IteratorResult<RecordedEvent>> {
    const event = this.queue.shift();
    if (event) {
      if (this.queue.length < EventStoreDbSubscription.HIGH_WATER / 2 && this.source.isPaused()) this.source.resume();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private fail(error: unknown): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.reject(error);
    else this.failure = error;
    this.finish(false);
  }

  /** `discard`: closed by the consumer, so buffered events are dropped; otherwise they stay readable. */
  private finish(discard: boolean): void {
    if (discard) this.queue.length = 0;
    if (this.done) return;
    this.done = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }
}

/** Iterates a client read; `onEvent` returns false to stop early, which cancels the gRPC call. */
async function consume(read: CancellableRead, onEvent: (resolved: ClientResolvedEvent) => boolean): Promise<void> {
  for await (const resolved of read) {
    if (!onEvent(resolved)) {
      await read.cancel();
      break;
    }
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

function toReadRevision(revision: StreamRevision | 'start' | 'end'): ReadRevision {
  if (revision === 'start') return START;
  if (revision === 'end') return END;
  return BigInt(revision);
}

/** See the class comment: commit == prepare for every event written over gRPC. */
function toClientPosition(position: GlobalPosition): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

function toPosition(position: Position): GlobalPosition {
  return toNumber(position.commit, 'commit position');
}

function toNumber(value: bigint, what: string): number {
  if (value < 0n || value > MAX_POSITION) throw new Error(`EventStoreDB returned an unusable ${what}: ${value}`);
  return Number(value);
}

function toRecordedEvent(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const event: ClientRecordedEvent | undefined = resolved.event;
  if (!event) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new Error(`EventStoreDB returned event ${event.id} without a position (server too old to report positions on reads?)`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: toNumber(event.revision, 'revision'),
    position: toNumber(commit, 'commit position'),
    type: event.type,
    data: asObject(event.data),
    metadata: asObject(event.metadata),
    recordedAt: event.created,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  if (value instanceof Uint8Array) {
    try {
      return asObject(JSON.parse(Buffer.from(value).toString('utf8')));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isUserEvent(event: RecordedEvent): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

interface ErrorContext {
  streamId?: string;
  expectedRevision?: ExpectedRevision;
}

function mapError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
    return new WrongExpectedRevisionError(
      context.streamId ?? error.streamName,
      context.expectedRevision ?? expectedFromClient(error.expectedVersion),
      actual,
    );
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(context.streamId ?? error.streamName);
  if (isUnavailable(error)) return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${describe(error)}`, error);
  return error;
}

function expectedFromClient(expected: unknown): ExpectedRevision {
  if (typeof expected === 'bigint') return Number(expected);
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return expected;
  return 'any';
}

/** gRPC status codes that mean "the server cannot be reached or did not answer". */
const UNAVAILABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError) return true;
  // The server cancelled the call (e.g. shutting down), or this node is not the leader
  // (the client reconnects to the leader for the next call): both are worth a retry.
  if (error instanceof CancelledError || error instanceof NotLeaderError) return true;
  if (error === null || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /ECONNREFUSED|ECONNRESET|EHOSTUNREACH/.test(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
