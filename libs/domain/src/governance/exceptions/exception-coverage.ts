import { AuthenticatorKind, Channel } from '../../event-catalog/vocabulary';
import { ExceptionScope, ExceptionStatus } from './exception-events';

/** What coverage needs to know of one exception. */
export interface CoverageCandidate {
  exceptionId: string;
  status: ExceptionStatus;
  scope: ExceptionScope;
  allowedMethods: readonly AuthenticatorKind[];
  requestedAt: string;
  /** The granted expiry (approved) or the requested one. */
  expiresAt: string;
}

export interface FallbackFacts {
  subjectId: string;
  applicationId: string;
  channel: Channel;
  usedMethod: AuthenticatorKind;
  /** When the fallback happened (the event's time). */
  time: string;
}

/**
 * What an exception is judged against: where something happened, by which
 * methods, and when. A fallback is one method; an authentication is the
 * methods the assurance rules counted.
 */
export interface CoverageFacts {
  subjectId: string;
  applicationId: string;
  channel: Channel;
  methods: readonly AuthenticatorKind[];
  time: string;
}

export interface Coverage {
  covered: boolean;
  exceptionId?: string;
  /** The covering exception's expiry. */
  expiresAt?: string;
  /** `covered`, or the reason the closest candidate did not cover it. */
  reason: 'covered' | 'no-exception-in-scope' | 'exception-not-approved' | 'method-not-allowed' | 'exception-expired' | 'before-exception';
}

export function scopeMatches(scope: ExceptionScope, fallback: Pick<FallbackFacts, 'subjectId' | 'applicationId' | 'channel'>): boolean {
  return (
    (scope.subjectId === undefined || scope.subjectId === fallback.subjectId) &&
    (scope.applicationId === undefined || scope.applicationId === fallback.applicationId) &&
    (scope.channel === undefined || scope.channel === fallback.channel)
  );
}

/** Most specific reason first, so a reviewer learns what would have made the fallback covered. */
const REASON_RANK: Record<Coverage['reason'], number> = {
  covered: 0,
  'exception-expired': 1,
  'before-exception': 2,
  'method-not-allowed': 3,
  'exception-not-approved': 4,
  'no-exception-in-scope': 5,
};

/**
 * A fallback is covered by an exception that is approved when the ledger
 * records the fallback, whose scope matches, that allows the method used,
 * and whose window (from its request to its expiry) contains the fallback's
 * time. Of several, the one that expires last is named, then the smallest id,
 * so the answer does not depend on the order exceptions were found in.
 */
export function evaluateFallbackCoverage(fallback: FallbackFacts, candidates: readonly CoverageCandidate[]): Coverage {
  const { usedMethod, ...where } = fallback;
  return evaluateCoverage({ ...where, methods: [usedMethod] }, candidates);
}

/**
 * The one coverage rule for fallbacks, authentications and decisions: an
 * approved exception whose scope matches, that allows at least one of the
 * methods, and whose window (from its request to its expiry) contains the time.
 */
export function evaluateCoverage(facts: CoverageFacts, candidates: readonly CoverageCandidate[]): Coverage {
  const time = Date.parse(facts.time);
  let best: Coverage = { covered: false, reason: 'no-exception-in-scope' };
  let bestCovering: CoverageCandidate | undefined;
  for (const candidate of candidates) {
    if (!scopeMatches(candidate.scope, facts)) continue;
    const reason: Coverage['reason'] =
      candidate.status !== 'approved'
        ? 'exception-not-approved'
        : !facts.methods.some((method) => candidate.allowedMethods.includes(method))
          ? 'method-not-allowed'
          : time >= Date.parse(candidate.expiresAt)
            ? 'exception-expired'
            : time < Date.parse(candidate.requestedAt)
              ? 'before-exception'
              : 'covered';
    if (reason === 'covered') {
      if (
        !bestCovering ||
        Date.parse(candidate.expiresAt) > Date.parse(bestCovering.expiresAt) ||
        (Date.parse(candidate.expiresAt) === Date.parse(bestCovering.expiresAt) && candidate.exceptionId < bestCovering.exceptionId)
      ) {
        bestCovering = candidate;
      }
    } else if (REASON_RANK[reason] < REASON_RANK[best.reason]) {
      best = { covered: false, reason };
    }
  }
  return bestCovering
    ? { covered: true, exceptionId: bestCovering.exceptionId, expiresAt: bestCovering.expiresAt, reason: 'covered' }
    : best;
}
