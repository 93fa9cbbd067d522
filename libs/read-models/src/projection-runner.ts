import { EventStore, EventSubscription, readStreamPaged, RecordedEvent, StreamNotFoundError } from '@ledger/event-store';
import { policyStream } from '@ledger/domain';
import { LedgerProjections, SkippedEvent } from './ledger-projections';
import { ReadModelStore } from './read-model-store.port';

export type RunnerStatus = 'starting' | 'catching-up' | 'live' | 'retrying' | 'stopped';

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Most events read from the subscription before they are projected. */
  readChunkSize?: number;
  /**
   * Most events projected before a commit. A commit also happens whenever the
   * subscription has nothing more at hand, so live events are applied at once.
   */
  commitEvery?: number;
  /** Wait before resubscribing after a failure (store away, commit refused). */
  retryDelayMs?: number;
  maxCachedSubjects?: number;
  logger?: RunnerLogger;
  /** Called with the position of the last event read, after each chunk: a rebuild shows progress with it. */
  onProgress?: (position: number) => void;
}

export interface RunnerState {
  status: RunnerStatus;
  /** Position of the last event committed to the read models; -1 before the first. */
  position: number;
  lastError: string | null;
  skippedEvents: number;
}

export interface CatchUpResult {
  position: number;
  eventsApplied: number;
}

const IDLE = Symbol('idle');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Feeds the read models from the event store's own subscription, starting
 * after the stored checkpoint. Events are applied in global order and
 * committed in batches, each batch with its checkpoint in one transaction:
 * after a crash the runner resumes exactly after the last committed batch, so
 * every event is applied once.
 */
export class ProjectionRunner {
  private readonly projections: LedgerProjections;
  private readonly readChunkSize: number;
  private readonly commitEvery: number;
  private readonly retryDelayMs: number;
  private readonly logger?: RunnerLogger;
  private readonly onProgress?: (position: number) => void;
  private state: RunnerState = { status: 'stopped', position: -1, lastError: null, skippedEvents: 0 };
  private subscription?: EventSubscription;
  private running?: Promise<void>;
  private stopping = false;
  private abort = new AbortController();
  private waiters: Array<{ position: number; resolve(reached: boolean): void; timer: NodeJS.Timeout }> = [];

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelStore,
    options: ProjectionRunnerOptions = {},
  ) {
    this.readChunkSize = Math.max(1, options.readChunkSize ?? 1000);
    this.commitEvery = Math.max(1, options.commitEvery ?? 10_000);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger;
    this.onProgress = options.onProgress;
    this.projections = new LedgerProjections(readModels, {
      maxCachedSubjects: options.maxCachedSubjects,
      onSkipped: (skipped) => this.onSkipped(skipped),
    });
  }

  current(): RunnerState {
    return { ...this.state };
  }

  /** Runs in the background until `stop()`: catch up, then stay live. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.state.status = 'starting';
    this.running = this.runForever();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(); // a standby waiting for the writer lock stops waiting
    await this.subscription?.close().catch(() => undefined);
    await this.running;
    this.running = undefined;
    this.state.status = 'stopped';
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.state.position >= waiter.position);
    }
  }

  /** Applies everything the store holds now, then returns; used by the rebuild. */
  async catchUp(): Promise<CatchUpResult> {
    await this.readModels.acquireWriter?.(this.abort.signal);
    const startedFrom = await this.storedPosition();
    this.state = { ...this.state, status: 'catching-up', position: startedFrom };
    let eventsApplied = 0;
    while (await this.hasEventsAfter(this.state.position)) {
      await this.prepareToReadAfter(this.state.position);
      const subscription = this.subscribeAfter(this.state.position);
      try {
        eventsApplied += await this.consume(subscription, true);
      } finally {
        await subscription.close();
        this.subscription = undefined;
      }
    }
    this.state.status = 'stopped';
    return { position: this.state.position, eventsApplied };
  }

  /** Resolves true once the read models include `position`, false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.state.position >= position) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private async runForever(): Promise<void> {
    while (!this.stopping) {
      try {
        // Where several projectors can reach the read models, only the one holding the lock goes on.
        await this.readModels.acquireWriter?.(this.abort.signal);
        const position = await this.storedPosition();
        this.state.position = position;
        this.state.status = 'catching-up';
        this.logger?.log(`projecting events after position ${position}`);
        await this.prepareToReadAfter(position);
        // stop() closes only a subscription that exists: one opened after it would wait for events forever.
        if (this.stopping) break;
        this.subscription = this.subscribeAfter(position);
        await this.consume(this.subscription, false);
      } catch (error) {
        if (this.stopping) break;
        this.state.status = 'retrying';
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.logger?.error(`projection runner failed at position ${this.state.position}, retrying: ${this.state.lastError}`);
        // Whatever was not committed comes again from a new subscription after the checkpoint.
        this.projections.discard();
        await sleep(this.retryDelayMs);
      } finally {
        await this.subscription?.close().catch(() => undefined);
        this.subscription = undefined;
      }
    }
  }

  /** Hands the projections the policy versions published up to `position`, from the store itself. */
  private async prepareToReadAfter(position: number): Promise<void> {
    const publications: RecordedEvent[] = [];
    try {
      for await (const event of readStreamPaged(this.eventStore, policyStream())) publications.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    this.projections.startAfter(position, publications);
  }

  private subscribeAfter(position: number): EventSubscription {
    this.subscription = this.eventStore.subscribe(position >= 0 ? { afterPosition: position } : {});
    return this.subscription;
  }

  private async storedPosition(): Promise<number> {
    const checkpoints = await this.readModels.checkpoints();
    return Math.min(...checkpoints.map((checkpoint) => checkpoint.position));
  }

  /**
   * Reads events in chunks: a chunk grows while events are already at hand.
   * Chunks are projected into pending changes, committed every `commitEvery`
   * events and whenever the subscription would have to wait, so a catch-up
   * runs in large transactions and live events are applied at once.
   */
  private async consume(subscription: EventSubscription, untilCaughtUp: boolean): Promise<number> {
    const iterator = subscription[Symbol.asyncIterator]();
    let pending = iterator.next();
    let applied = 0;
    let lastRead = this.state.position;
    try {
      for (;;) {
        let first = await Promise.race([pending, new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE))]);
        if (first === IDLE) {
          if (untilCaughtUp && !(await this.hasEventsAfter(lastRead))) {
            await this.commit();
            return applied;
          }
          // Nothing at hand: what is pending must not wait for the next event, which may never come.
          await this.commit();
          first = await pending;
        }
        if (first.done || this.stopping) return applied;
        const chunk: RecordedEvent[] = [first.value];
        pending = iterator.next();
        let ended = false;
        let idle = false;
        const wouldWait = new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE));
        while (chunk.length < this.readChunkSize) {
          const next = await Promise.race([pending, wouldWait]);
          if (next === IDLE) {
            idle = true;
            break;
          }
          if (next.done) {
            ended = true;
            break;
          }
          chunk.push(next.value);
          pending = iterator.next();
        }
        // A subscription never repeats an event, but the check costs nothing and guards exactly-once.
        const fresh = chunk.filter((event) => event.position > lastRead);
        if (fresh.length > 0) {
          lastRead = fresh[fresh.length - 1].position;
          await this.projections.add(fresh);
          applied += fresh.length;
          this.onProgress?.(lastRead);
        }
        // While a chunk fills up without waiting the store has more, so only an idle or ended read needs asking.
        const caughtUp = untilCaughtUp && (idle || ended) && !(await this.hasEventsAfter(lastRead));
        if (idle || ended || caughtUp || this.projections.pendingEvents >= this.commitEvery) await this.commit();
        if (ended || caughtUp) return applied;
        await nextTurn(); // lets HTTP requests in between chunks during a long catch-up
      }
    } finally {
      pending.catch(() => undefined);
    }
  }

  private async commit(): Promise<void> {
    const position = await this.projections.commit();
    if (position === undefined) return;
    this.state.position = position;
    this.state.lastError = null;
    if (this.state.status !== 'live' && !(await this.hasEventsAfter(position))) this.state.status = 'live';
    this.notifyWaiters();
  }

  private async hasEventsAfter(position: number): Promise<boolean> {
    const page = await this.eventStore.readAll(position >= 0 ? { fromPosition: position, maxCount: 2 } : { maxCount: 1 });
    return page.some((event) => event.position > position);
  }

  private notifyWaiters(): void {
    const reached = this.waiters.filter((waiter) => waiter.position <= this.state.position);
    if (reached.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.position > this.state.position);
    for (const waiter of reached) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }

  private onSkipped(skipped: SkippedEvent): void {
    this.state.skippedEvents++;
    this.logger?.warn(`skipped event at position ${skipped.position} (${skipped.type} in ${skipped.streamId}): ${skipped.reason}`);
  }
}
