import { EventSubscription, GlobalPosition, RecordedEvent } from './event-store.port';

export interface PollingSubscriptionSource {
  /** Exclusive start; undefined means from the beginning. */
  afterPosition?: GlobalPosition;
  /** Reads events at or after an inclusive position, in global order. */
  readPage(fromPosition: GlobalPosition): Promise<RecordedEvent[]>;
  /** Registers a callback fired when this process appends; returns the unregister function. */
  onAppended(wake: () => void): () => void;
  /** Fallback poll for writers in other processes. */
  pollIntervalMs: number;
}

/**
 * Catch-up-then-live subscription for stores without a push API: page
 * through the log, then sleep until this process appends or the poll
 * interval passes. One mechanism covers both catch-up and live.
 */
export function pollingSubscription(source: PollingSubscriptionSource): EventSubscription {
  let closed = false;
  let wakeSleeper: (() => void) | undefined;
  const wake = () => wakeSleeper?.();
  const unregister = source.onAppended(wake);

  async function* iterate(): AsyncGenerator<RecordedEvent> {
    let nextPosition = source.afterPosition === undefined ? 0 : source.afterPosition + 1;
    try {
      while (!closed) {
        const page = await source.readPage(nextPosition);
        for (const event of page) {
          if (closed) return;
          nextPosition = event.position + 1;
          yield event;
        }
        if (page.length === 0 && !closed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, source.pollIntervalMs);
            wakeSleeper = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeSleeper = undefined;
        }
      }
    } finally {
      unregister();
    }
  }

  const iterator = iterate();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      closed = true;
      wake();
      unregister();
    },
  };
}
