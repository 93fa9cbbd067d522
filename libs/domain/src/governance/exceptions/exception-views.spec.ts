import {
  applyToExceptionCatalog,
  emptyExceptionCatalog,
  ExceptionCatalog,
  exceptionPosture,
  exceptionsToReview,
  exceptionsApplyingTo,
} from '@ledger/domain';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-11-29T12:00:00.000Z');
const daysFromNow = (days: number) => new Date(NOW + days * DAY).toISOString();

let position = 0;
function add(catalog: ExceptionCatalog, exceptionId: string, type: string, data: Record<string, unknown>): void {
  position++;
  applyToExceptionCatalog(catalog, { streamId: `exception-${exceptionId}`, revision: 0, position, type }, { exceptionId, ...data });
}
function requestAndApprove(
  catalog: ExceptionCatalog,
  exceptionId: string,
  scope: Record<string, string>,
  requestedDaysAgo: number,
  expiresInDays: number,
  renews?: string,
  renewalCount = 0,
): void {
  add(catalog, exceptionId, 'assurance.exception.requested', {
    scope,
    allowedMethods: ['totp'],
    justification: 'legacy',
    requester: 'helpdesk',
    requestedAt: daysFromNow(-requestedDaysAgo),
    requestedExpiresAt: daysFromNow(expiresInDays),
    renewalCount,
    policyVersion: 1,
    ...(renews && { renews }),
  });
  add(catalog, exceptionId, 'assurance.exception.approved', {
    reviewer: 'r',
    note: 'ok',
    approvedAt: daysFromNow(-requestedDaysAgo),
    expiresAt: daysFromNow(expiresInDays),
  });
}

describe('exception views', () => {
  it('counts fallbacks covered by an exception', () => {
    const catalog = emptyExceptionCatalog();
    requestAndApprove(catalog, 'a', { subjectId: 'u-1' }, 1, 5);
    const evaluated = (covered: boolean) =>
      applyToExceptionCatalog(
        catalog,
        { streamId: 'subject-u-1', revision: 3, position: ++position, type: 'assurance.fallback.evaluated' },
        {
          fallback: { revision: 2, id: 'f', source: 's', time: daysFromNow(0) },
          covered,
          ...(covered && { exceptionId: 'a' }),
        },
      );
    evaluated(true);
    evaluated(false);
    evaluated(true);
    expect(catalog.exceptions.get('a')).toMatchObject({ coveredFallbacks: 2, lastCoveredFallbackAt: daysFromNow(0) });
  });

  it('shows pending exceptions and those expiring within 7 days for review', () => {
    const catalog = emptyExceptionCatalog();
    requestAndApprove(catalog, 'soon', { applicationId: 'vpn' }, 20, 3);
    requestAndApprove(catalog, 'later', { applicationId: 'vpn' }, 20, 10);
    add(catalog, 'pending', 'assurance.exception.requested', {
      scope: { subjectId: 'u-2' },
      allowedMethods: ['sms'],
      justification: 'x',
      requester: 'h',
      requestedAt: daysFromNow(-1),
      requestedExpiresAt: daysFromNow(6),
      renewalCount: 0,
      policyVersion: 1,
    });
    const review = exceptionsToReview(catalog, NOW);
    expect(review.pending.map((summary) => summary.exceptionId)).toEqual(['pending']);
    expect(review.expiringSoon.map((summary) => summary.exceptionId)).toEqual(['soon']);
    // A pending request applies to nobody yet; the application-wide approvals apply to every subject, soonest expiry first.
    expect(exceptionsApplyingTo(catalog, 'u-2', NOW).map((summary) => summary.exceptionId)).toEqual(['soon', 'later']);
    requestAndApprove(catalog, 'own', { subjectId: 'u-2' }, 1, 30);
    requestAndApprove(catalog, 'someone-else', { subjectId: 'u-3' }, 1, 1);
    expect(exceptionsApplyingTo(catalog, 'u-2', NOW).map((summary) => summary.exceptionId)).toEqual(['own', 'soon', 'later']);
  });

  it('ages a renewal from the start of its chain and flags applications renewed three times or more', () => {
    const catalog = emptyExceptionCatalog();
    requestAndApprove(catalog, 'v0', { applicationId: 'legacy-vpn' }, 120, -90);
    requestAndApprove(catalog, 'v1', { applicationId: 'legacy-vpn' }, 90, -60, 'v0', 1);
    requestAndApprove(catalog, 'v2', { applicationId: 'legacy-vpn' }, 60, -30, 'v1', 2);
    requestAndApprove(catalog, 'v3', { applicationId: 'legacy-vpn' }, 30, 1, 'v2', 3);
    requestAndApprove(catalog, 'h1', { applicationId: 'hr' }, 40, -10);
    requestAndApprove(catalog, 'h2', { applicationId: 'hr' }, 10, 20, 'h1', 1);
    requestAndApprove(catalog, 'fresh', { subjectId: 'u-9' }, 2, 5);
    const posture = exceptionPosture(catalog, NOW);
    expect(posture.active).toBe(3);
    expect(posture.activeByAge).toEqual({ 'under-7d': 1, '7d-30d': 0, '30d-90d': 1, 'over-90d': 1 });
    expect(
      posture.renewedDependencies.map((dependency) => [dependency.applicationId, dependency.renewalCount, dependency.carveOutInDisguise]),
    ).toEqual([
      ['legacy-vpn', 3, true],
      ['hr', 1, false],
    ]);
    expect(posture.carveOutsInDisguise).toBe(1);
  });
});
