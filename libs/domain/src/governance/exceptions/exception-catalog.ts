import { AuthenticatorKind } from '../../event-catalog/vocabulary';
import { CoverageCandidate } from './exception-coverage';
import { exceptionIdOfStream, ExceptionEvent, ExceptionScope, ExceptionStatus, FallbackEvaluatedData } from './exception-events';

/** One exception as reviewers and auditors list it, folded from its stream and the fallbacks it covered. */
export interface ExceptionSummary extends CoverageCandidate {
  stream: string;
  /** Revision and global position of the exception's latest event. */
  revision: number;
  position: number;
  allowedMethods: AuthenticatorKind[];
  justification: string;
  requester: string;
  requestedExpiresAt: string;
  policyVersion: number;
  renews: string | null;
  renewedBy: string | null;
  renewalCount: number;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The approval's note or the rejection's reason. */
  decisionNote: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
  expiredAt: string | null;
  coveredFallbacks: number;
  lastCoveredFallbackAt: string | null;
}

/** Every exception, by id. Small by nature: exceptions are granted by people, one at a time. */
export interface ExceptionCatalog {
  exceptions: Map<string, ExceptionSummary>;
}

export function emptyExceptionCatalog(): ExceptionCatalog {
  return { exceptions: new Map() };
}

/** Where a stored event sits; the domain does not depend on the store's types. */
export interface CatalogEventFacts {
  streamId: string;
  revision: number;
  position: number;
  type: string;
}

/**
 * Folds one stored event into the catalog, in place: the exception's own
 * lifecycle events, and the ledger's fallback evaluations that name it.
 * Anything else is ignored.
 */
export function applyToExceptionCatalog(catalog: ExceptionCatalog, facts: CatalogEventFacts, data: unknown): void {
  if (facts.type === 'assurance.fallback.evaluated') {
    const evaluated = data as FallbackEvaluatedData;
    if (!evaluated.covered || evaluated.exceptionId === undefined) return;
    const summary = catalog.exceptions.get(evaluated.exceptionId);
    if (!summary) return;
    summary.coveredFallbacks += 1;
    summary.lastCoveredFallbackAt = evaluated.fallback.time;
    return;
  }
  const exceptionId = exceptionIdOfStream(facts.streamId);
  if (exceptionId === undefined || !facts.type.startsWith('assurance.exception.')) return;
  const event = { type: facts.type, data } as ExceptionEvent;
  const existing = catalog.exceptions.get(exceptionId);
  const located = { revision: facts.revision, position: facts.position };
  switch (event.type) {
    case 'assurance.exception.requested': {
      const requested = event.data;
      catalog.exceptions.set(exceptionId, {
        exceptionId,
        stream: facts.streamId,
        ...located,
        status: 'requested',
        scope: requested.scope,
        allowedMethods: requested.allowedMethods,
        justification: requested.justification,
        requester: requested.requester,
        requestedAt: requested.requestedAt,
        requestedExpiresAt: requested.requestedExpiresAt,
        expiresAt: requested.requestedExpiresAt,
        policyVersion: requested.policyVersion,
        renews: requested.renews ?? null,
        renewedBy: null,
        renewalCount: requested.renewalCount,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        revokedBy: null,
        revokedAt: null,
        revocationReason: null,
        expiredAt: null,
        coveredFallbacks: 0,
        lastCoveredFallbackAt: null,
      });
      const renewed = requested.renews !== undefined ? catalog.exceptions.get(requested.renews) : undefined;
      if (renewed) renewed.renewedBy = exceptionId;
      return;
    }
    case 'assurance.exception.approved':
      if (!existing) return;
      Object.assign(existing, located, {
        status: 'approved',
        decidedBy: event.data.reviewer,
        decidedAt: event.data.approvedAt,
        decisionNote: event.data.note,
        expiresAt: event.data.expiresAt,
      });
      return;
    case 'assurance.exception.rejected':
      if (!existing) return;
      Object.assign(existing, located, {
        status: 'rejected',
        decidedBy: event.data.reviewer,
        decidedAt: event.data.rejectedAt,
        decisionNote: event.data.reason,
      });
      return;
    case 'assurance.exception.revoked':
      if (!existing) return;
      Object.assign(existing, located, {
        status: 'revoked',
        revokedBy: event.data.revokedBy,
        revokedAt: event.data.revokedAt,
        revocationReason: event.data.reason,
      });
      return;
    case 'assurance.exception.expired':
      if (!existing) return;
      Object.assign(existing, located, { status: 'expired', expiredAt: event.data.expiredAt });
      return;
  }
}

/** Approved exceptions that could apply to this subject: scoped to it, or not scoped to any subject. */
export function exceptionsRelevantTo(catalog: ExceptionCatalog, subjectId: string): CoverageCandidate[] {
  const relevant: CoverageCandidate[] = [];
  for (const summary of catalog.exceptions.values()) {
    if (summary.status !== 'approved') continue;
    if (summary.scope.subjectId !== undefined && summary.scope.subjectId !== subjectId) continue;
    const { exceptionId, status, scope, allowedMethods, requestedAt, expiresAt } = summary;
    relevant.push({ exceptionId, status, scope, allowedMethods, requestedAt, expiresAt });
  }
  return relevant;
}

/** Approved or pending exceptions whose expiry has passed at `now`: the scheduler's work list. */
export function exceptionsDueToExpire(catalog: ExceptionCatalog, now: string): ExceptionSummary[] {
  const instant = Date.parse(now);
  return [...catalog.exceptions.values()].filter(
    (summary) => (summary.status === 'approved' || summary.status === 'requested') && Date.parse(summary.expiresAt) <= instant,
  );
}

export interface ExceptionFilter {
  status?: ExceptionStatus;
  subjectId?: string;
  applicationId?: string;
  channel?: string;
}

/** Exceptions whose scope names exactly the given values, newest request first. */
export function listExceptions(catalog: ExceptionCatalog, filter: ExceptionFilter): ExceptionSummary[] {
  const matches = (scope: ExceptionScope) =>
    (filter.subjectId === undefined || scope.subjectId === filter.subjectId) &&
    (filter.applicationId === undefined || scope.applicationId === filter.applicationId) &&
    (filter.channel === undefined || scope.channel === filter.channel);
  return [...catalog.exceptions.values()]
    .filter((summary) => (filter.status === undefined || summary.status === filter.status) && matches(summary.scope))
    .sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt) || a.exceptionId.localeCompare(b.exceptionId));
}
