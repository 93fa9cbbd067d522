import { EventStore, readAllPaged } from '@ledger/event-store';
import { applyToExceptionCatalog, emptyExceptionCatalog, ExceptionCatalog, LEDGER_EVENT_TYPES, upcastRecorded } from '@ledger/domain';

const noop = () => undefined;

export interface CatalogRead {
  catalog: ExceptionCatalog;
  position: number;
}

/** Exceptions' own events, and the evaluations that count fallbacks against them: the rest of the log is skipped unread. */
const EXCEPTION_EVENT_TYPES = ['assurance.exception.', LEDGER_EVENT_TYPES.fallbackEvaluated];

/**
 * Every exception, folded in this process from the store itself. Each use
 * first reads what was appended since the last one (by any process), so a
 * decision taken right after an approval was acknowledged, here or in
 * another API process on the same store, sees that approval. Exceptions are
 * few, and the read asks the store for their event types only, so neither
 * the first read over a long history nor the next ones parse unrelated events.
 */
export class ExceptionRegistry {
  private readonly catalog: ExceptionCatalog = emptyExceptionCatalog();
  private position = -1;
  private reads = 0;
  /** The read under way, and the one that will start after it. */
  private inFlight?: Promise<CatalogRead>;
  private queued?: Promise<CatalogRead>;

  constructor(private readonly store: EventStore) {}

  /** What the last read from the store found, without reading again. */
  lastRead(): CatalogRead {
    return { catalog: this.catalog, position: this.position };
  }

  /** The catalog with everything the store held when this was called; read it, do not keep it across awaits. */
  current(): Promise<CatalogRead> {
    // A read that has not started yet takes the head position after every caller waiting on it
    // arrived, so it serves them all: a burst of decisions costs two reads, not one each.
    if (this.queued) return this.queued;
    const previous = this.inFlight;
    const started = previous ? previous.then(noop, noop) : Promise.resolve();
    const read: Promise<CatalogRead> = started.then(async () => {
      this.queued = undefined;
      this.inFlight = read;
      try {
        return await this.readSinceLastRead();
      } finally {
        if (this.inFlight === read) this.inFlight = undefined;
      }
    });
    this.queued = read;
    return read;
  }

  /** Reads run one at a time: each folds into the same catalog. */
  private async readSinceLastRead(): Promise<CatalogRead> {
    this.reads += 1;
    // Taken first: everything at or before it is committed, so the filtered read below has seen all of it.
    const head = await this.store.headPosition();
    for await (const event of readAllPaged(this.store, this.position + 1, { typePrefixes: EXCEPTION_EVENT_TYPES })) {
      const { data } = upcastRecorded(event);
      applyToExceptionCatalog(this.catalog, event, data);
      this.position = event.position;
    }
    this.position = Math.max(this.position, head);
    return { catalog: this.catalog, position: this.position };
  }

  /** How many times the store was read, for tests and metrics. */
  readCount(): number {
    return this.reads;
  }
}

/**
 * For views that must keep answering while the store is unreachable, like
 * the read models they sit next to: what the last successful read found,
 * flagged as such.
 */
export async function exceptionsForView(
  registry: ExceptionRegistry,
): Promise<{ catalog: ExceptionCatalog; position: number; stale: boolean }> {
  try {
    return { ...(await registry.current()), stale: false };
  } catch {
    return { ...registry.lastRead(), stale: true };
  }
}
