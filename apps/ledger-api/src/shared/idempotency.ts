import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { IdempotencyKeyMismatchError } from '@ledger/core';
import type { RecordedEvent } from '@ledger/event-store';
import { InvalidRequestError } from './invalid-request';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** Printable ASCII: what the IETF httpapi draft allows in the header, and nothing that can forge a log line. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;

/** The caller's Idempotency-Key, or undefined; 400 naming the header when it is too long or not printable. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const issue =
    header.length > MAX_IDEMPOTENCY_KEY_LENGTH
      ? `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`
      : !IDEMPOTENCY_KEY.test(header)
        ? 'must be 1 or more printable ASCII characters without spaces'
        : undefined;
  if (issue)
    throw new InvalidRequestError('invalid-request', `invalid ${IDEMPOTENCY_HEADER} header`, [
      { field: IDEMPOTENCY_HEADER, reason: issue },
    ]);
  return header;
}

/**
 * The id a request with an Idempotency-Key maps to: scoped to the key that called, so one
 * caller's key can never replay another caller's answer. The pair is encoded unambiguously.
 */
export function idempotentIdFor(namespace: string, callerKeyId: string, idempotencyKey: string): string {
  return uuidv5(JSON.stringify([callerKeyId, idempotencyKey]), namespace);
}

/** A digest of what the caller asked for; a replay must ask for the same. */
export function requestDigestOf(request: unknown): string {
  return createHash('sha256').update(canonicalize(request)!, 'utf8').digest('hex');
}

/** The stored event answers the replay only when it was written for the same request; else 422. */
export function assertSameRequest(stored: RecordedEvent, requestDigest: string | undefined): void {
  if (requestDigest !== undefined && stored.metadata.requestDigest !== requestDigest) throw new IdempotencyKeyMismatchError();
}
