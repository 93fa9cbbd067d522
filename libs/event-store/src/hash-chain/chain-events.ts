import { EventToAppend, ExpectedRevision, StreamRevision } from '../event-store.port';
import { computeEventHash, GENESIS_HASH } from './event-hash';

/** Where a stream ends: what the next append must expect and chain onto. */
export interface StreamTail {
  /** -1 when the stream does not exist yet. */
  revision: StreamRevision | -1;
  lastHash: string;
}

export const EMPTY_STREAM_TAIL: StreamTail = { revision: -1, lastHash: GENESIS_HASH };

export function expectedRevisionAfter(tail: StreamTail): ExpectedRevision {
  return tail.revision === -1 ? 'no_stream' : tail.revision;
}

/**
 * Adds `prevHash` and `hash` to events that will be appended right after
 * `tail`. The caller appends them with `expectedRevisionAfter(tail)`, so a
 * concurrent writer makes the append fail instead of forking the chain.
 */
export function chainEvents(streamId: string, tail: StreamTail, events: EventToAppend[]): EventToAppend[] {
  let prevHash = tail.lastHash;
  return events.map((event, i) => {
    const metadata = { ...event.metadata, prevHash };
    const hash = computeEventHash({ streamId, revision: tail.revision + 1 + i, type: event.type, data: event.data, metadata, prevHash });
    prevHash = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}
