import { createHash } from 'node:crypto';
import { GlobalPosition, RecordedEvent, StreamRevision } from '../event-store.port';
import { chainFieldsOf } from './event-hash';

export const CHECKPOINT_STREAM = 'audit-checkpoints';
export const CHECKPOINT_ALGORITHM = 'sha256-stream-heads-v1';

export interface StreamHead {
  revision: StreamRevision;
  hash: string;
}

export interface CheckpointDigest {
  algorithm: typeof CHECKPOINT_ALGORITHM;
  /** Every event at or before this global position is covered. */
  position: GlobalPosition;
  digest: string;
  streamCount: number;
  eventCount: number;
}

/**
 * The last revision and hash of every stream, as of a global position.
 * Because each stream is a hash chain, its head commits to its whole
 * history; a digest over all heads commits to the whole store: editing,
 * deleting or adding any event, or any stream, before the position changes it.
 *
 * The digest is SHA-256 over UTF-8 text, so an auditor can recompute it
 * with any tool: the line `<position>\n`, then for each stream in code-unit
 * order of its id the line `<stream id>\t<revision>\t<hash>\n`. The
 * checkpoint stream itself is left out, since it holds the digests.
 */
export class StreamHeads {
  private readonly heads = new Map<string, StreamHead>();
  private events = 0;
  private lastPosition: GlobalPosition = -1;
  private lastCoveredPosition: GlobalPosition = -1;

  apply(event: RecordedEvent): void {
    if (event.position <= this.lastPosition) return;
    this.lastPosition = event.position;
    if (event.streamId === CHECKPOINT_STREAM) return;
    this.lastCoveredPosition = event.position;
    this.events++;
    this.heads.set(event.streamId, { revision: event.revision, hash: chainFieldsOf(event).hash ?? '' });
  }

  /** How far the log has been read, checkpoints included. */
  get position(): GlobalPosition {
    return this.lastPosition;
  }

  /** The last event a digest covers: checkpoints themselves do not count. */
  get coveredPosition(): GlobalPosition {
    return this.lastCoveredPosition;
  }

  digest(position: GlobalPosition = this.lastCoveredPosition): CheckpointDigest {
    const hash = createHash('sha256');
    hash.update(`${position}\n`, 'utf8');
    for (const streamId of [...this.heads.keys()].sort()) {
      const head = this.heads.get(streamId)!;
      hash.update(`${streamId}\t${head.revision}\t${head.hash}\n`, 'utf8');
    }
    return { algorithm: CHECKPOINT_ALGORITHM, position, digest: hash.digest('hex'), streamCount: this.heads.size, eventCount: this.events };
  }
}

/** Recomputes the digest of everything at or before `position` from a pass over the global log. */
export async function digestAt(events: AsyncIterable<RecordedEvent>, position: GlobalPosition): Promise<CheckpointDigest> {
  const heads = new StreamHeads();
  for await (const event of events) {
    if (event.position > position) break;
    heads.apply(event);
  }
  return heads.digest(position);
}
