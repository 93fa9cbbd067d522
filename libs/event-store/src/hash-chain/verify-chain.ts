import { RecordedEvent, StreamRevision } from '../event-store.port';
import { chainFieldsOf, computeEventHash, GENESIS_HASH } from './event-hash';

export type ChainBreakReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap' | 'missing-chain-fields';

export interface ChainBreak {
  streamId: string;
  revision: StreamRevision;
  reason: ChainBreakReason;
  expectedHash: string;
  actualHash: string | null;
}

export interface ChainVerification {
  streamId: string;
  eventsChecked: number;
  valid: boolean;
  lastHash: string | null;
  firstBreak: ChainBreak | null;
}

/**
 * Follows one stream's chain event by event, in revision order, and keeps
 * the first break it sees. Incremental so that one stream or the whole
 * store can be verified in a single pass with flat memory per stream.
 */
export class StreamChainVerifier {
  private expectedRevision = 0;
  private expectedPrevHash = GENESIS_HASH;
  private eventsChecked = 0;
  private firstBreak: ChainBreak | null = null;

  constructor(readonly streamId: string) {}

  get broken(): boolean {
    return this.firstBreak !== null;
  }

  check(event: RecordedEvent): void {
    if (this.firstBreak) return;
    this.eventsChecked++;
    const { prevHash, hash } = chainFieldsOf(event);
    const fail = (revision: StreamRevision, reason: ChainBreakReason, expectedHash: string, actualHash: string | null) => {
      this.firstBreak = { streamId: this.streamId, revision, reason, expectedHash, actualHash };
    };
    if (event.revision !== this.expectedRevision) return fail(this.expectedRevision, 'revision-gap', this.expectedPrevHash, null);
    if (prevHash === undefined || hash === undefined)
      return fail(event.revision, 'missing-chain-fields', this.expectedPrevHash, hash ?? null);
    if (prevHash !== this.expectedPrevHash) return fail(event.revision, 'prev-hash-mismatch', this.expectedPrevHash, prevHash);
    const recomputed = computeEventHash({ ...event, prevHash });
    if (recomputed !== hash) return fail(event.revision, 'hash-mismatch', recomputed, hash);
    this.expectedPrevHash = hash;
    this.expectedRevision++;
  }

  result(): ChainVerification {
    return {
      streamId: this.streamId,
      eventsChecked: this.eventsChecked,
      valid: this.firstBreak === null,
      lastHash: this.firstBreak || this.eventsChecked === 0 ? null : this.expectedPrevHash,
      firstBreak: this.firstBreak,
    };
  }
}

export async function verifyStreamChain(
  streamId: string,
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
): Promise<ChainVerification> {
  const verifier = new StreamChainVerifier(streamId);
  for await (const event of events) {
    verifier.check(event);
    if (verifier.broken) break;
  }
  return verifier.result();
}

export interface StoreVerification {
  streamsChecked: number;
  eventsChecked: number;
  valid: boolean;
  /** The break with the lowest global position, if any. */
  firstBreak: ChainBreak | null;
  brokenStreams: number;
}

/**
 * Verifies every stream in one pass over the global log, one event at a time,
 * so a caller can report progress between events. Events reach each stream's
 * verifier in revision order because global order preserves it.
 */
export class StoreChainVerifier {
  private readonly verifiers = new Map<string, StreamChainVerifier>();
  private firstBreak: ChainBreak | null = null;
  eventsChecked = 0;

  check(event: RecordedEvent): void {
    this.eventsChecked++;
    let verifier = this.verifiers.get(event.streamId);
    if (!verifier) this.verifiers.set(event.streamId, (verifier = new StreamChainVerifier(event.streamId)));
    const wasBroken = verifier.broken;
    verifier.check(event);
    if (!wasBroken && verifier.broken && !this.firstBreak) this.firstBreak = verifier.result().firstBreak;
  }

  result(): StoreVerification {
    const brokenStreams = [...this.verifiers.values()].filter((verifier) => verifier.broken).length;
    return {
      streamsChecked: this.verifiers.size,
      eventsChecked: this.eventsChecked,
      valid: brokenStreams === 0,
      firstBreak: this.firstBreak,
      brokenStreams,
    };
  }
}

export async function verifyAllStreams(events: AsyncIterable<RecordedEvent>): Promise<StoreVerification> {
  const verifier = new StoreChainVerifier();
  for await (const event of events) verifier.check(event);
  return verifier.result();
}
