import { AuthenticatorKind, Channel } from '../../event-catalog/vocabulary';

/**
 * Who and what an exception applies to. Each field present narrows it; at
 * least one is required, so no exception can cover the whole estate.
 */
export interface ExceptionScope {
  subjectId?: string;
  applicationId?: string;
  channel?: Channel;
}

export const EXCEPTION_STATUSES = ['requested', 'approved', 'rejected', 'revoked', 'expired'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** Stream `exception-<exceptionId>`, revision 0. */
export interface ExceptionRequestedData {
  exceptionId: string;
  scope: ExceptionScope;
  allowedMethods: AuthenticatorKind[];
  justification: string;
  /** Name of the API key that asked for it. */
  requester: string;
  requestedAt: string;
  /** There is no exception without an expiry: the request already names it. */
  requestedExpiresAt: string;
  /** The exception this one renews, when it is a renewal. */
  renews?: string;
  /** 0 for a first request; a renewal of a renewal of X is 2. */
  renewalCount: number;
  /** The policy version whose maximum duration the expiry was checked against. */
  policyVersion: number;
}

export interface ExceptionApprovedData {
  exceptionId: string;
  reviewer: string;
  note: string;
  approvedAt: string;
  /** Never later than the requested expiry. */
  expiresAt: string;
}

export interface ExceptionRejectedData {
  exceptionId: string;
  reviewer: string;
  reason: string;
  rejectedAt: string;
}

export interface ExceptionRevokedData {
  exceptionId: string;
  revokedBy: string;
  reason: string;
  revokedAt: string;
}

/** Written by the expiry scheduler; the event's time is the expiry itself, not when the scheduler noticed. */
export interface ExceptionExpiredData {
  exceptionId: string;
  expiredAt: string;
  /** `approved`, or `requested` when a request lapsed before anyone decided on it. */
  previousStatus: 'approved' | 'requested';
}

/**
 * The ledger's judgement of one `assurance.fallback.used`, appended right
 * after it in the subject stream, in the same append.
 */
export interface FallbackEvaluatedData {
  fallback: { revision: number; id: string; source: string; time: string };
  applicationId: string;
  channel: Channel;
  usedMethod: AuthenticatorKind;
  covered: boolean;
  /** The approved exception that allowed it; absent when not covered. */
  exceptionId?: string;
  /** Why it is or is not covered, e.g. `no-exception-in-scope`, `method-not-allowed`, `exception-expired`. */
  reason: string;
}

export type ExceptionEvent =
  | { type: 'assurance.exception.requested'; data: ExceptionRequestedData; time?: string }
  | { type: 'assurance.exception.approved'; data: ExceptionApprovedData; time?: string }
  | { type: 'assurance.exception.rejected'; data: ExceptionRejectedData; time?: string }
  | { type: 'assurance.exception.revoked'; data: ExceptionRevokedData; time?: string }
  | { type: 'assurance.exception.expired'; data: ExceptionExpiredData; time?: string };

export type ExceptionEventType = ExceptionEvent['type'];

export const EXCEPTION_STREAM_PREFIX = 'exception-';

export function exceptionStream(exceptionId: string): string {
  return `${EXCEPTION_STREAM_PREFIX}${exceptionId}`;
}

export function exceptionIdOfStream(streamId: string): string | undefined {
  return streamId.length > EXCEPTION_STREAM_PREFIX.length && streamId.startsWith(EXCEPTION_STREAM_PREFIX)
    ? streamId.slice(EXCEPTION_STREAM_PREFIX.length)
    : undefined;
}
