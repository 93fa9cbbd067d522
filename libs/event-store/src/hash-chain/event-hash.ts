import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { RecordedEvent, StreamRevision } from '../event-store.port';

/** `prevHash` of revision 0: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** The metadata fields the chain owns. */
export interface ChainFields {
  prevHash: string;
  hash: string;
}

export interface HashInput {
  streamId: string;
  revision: StreamRevision;
  type: string;
  data: unknown;
  /** Metadata as stored, which includes `prevHash`; any `hash` field is ignored. */
  metadata: Record<string, unknown>;
  prevHash: string;
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of the event's identity and
 * content. Canonical form makes the hash independent of key order and of
 * how either store serialises JSON.
 */
export function computeEventHash(input: HashInput): string {
  const { hash: _ignored, ...metadataWithoutHash } = input.metadata;
  const canonical = canonicalize({
    stream: input.streamId,
    revision: input.revision,
    type: input.type,
    data: input.data,
    metadata: metadataWithoutHash,
    prevHash: input.prevHash,
  });
  if (canonical === undefined) throw new Error('event cannot be expressed as canonical JSON');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function chainFieldsOf(event: Pick<RecordedEvent, 'metadata'>): Partial<ChainFields> {
  const { prevHash, hash } = event.metadata as Partial<Record<keyof ChainFields, unknown>>;
  return {
    prevHash: typeof prevHash === 'string' ? prevHash : undefined,
    hash: typeof hash === 'string' ? hash : undefined,
  };
}
