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
 * Walks one stream from revision 0 and reports the first place where the
 * stored chain and the recomputed chain disagree. Streaming input keeps
 * memory flat for long streams.
 */
export async function verifyStreamChain(
  streamId: string,
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
): Promise<ChainVerification> {
  let expectedPrevHash = GENESIS_HASH;
  let expectedRevision = 0;
  let eventsChecked = 0;
  const broken = (
    revision: StreamRevision,
    reason: ChainBreakReason,
    expectedHash: string,
    actualHash: string | null,
  ): ChainVerification => ({
    streamId,
    eventsChecked,
    valid: false,
    lastHash: null,
    firstBreak: { streamId, revision, reason, expectedHash, actualHash },
  });

  for await (const event of events) {
    eventsChecked++;
    const { prevHash, hash } = chainFieldsOf(event);
    if (event.revision !== expectedRevision) {
      return broken(expectedRevision, 'revision-gap', expectedPrevHash, null);
    }
    if (prevHash === undefined || hash === undefined) {
      return broken(event.revision, 'missing-chain-fields', expectedPrevHash, hash ?? null);
    }
    if (prevHash !== expectedPrevHash) {
      return broken(event.revision, 'prev-hash-mismatch', expectedPrevHash, prevHash);
    }
    const recomputed = computeEventHash({ ...event, prevHash });
    if (recomputed !== hash) {
      return broken(event.revision, 'hash-mismatch', recomputed, hash);
    }
    expectedPrevHash = hash;
    expectedRevision++;
  }
  return { streamId, eventsChecked, valid: true, lastHash: eventsChecked > 0 ? expectedPrevHash : null, firstBreak: null };
}
