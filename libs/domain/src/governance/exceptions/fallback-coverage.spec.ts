import { CoverageCandidate, subjectDecider, SubjectEvent } from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

const given = (history: SubjectEvent[]) => DeciderSpecification.for(subjectDecider).given(history);

const FALLBACK_TIME = '2026-11-05T10:00:00Z';
const fallback: SubjectEvent = {
  type: 'assurance.fallback.used',
  data: { applicationId: 'legacy-vpn', channel: 'vpn', intendedMethod: 'security-key', usedMethod: 'totp', reason: 'key left at home' },
  time: FALLBACK_TIME,
};
const exception = (overrides: Partial<CoverageCandidate> = {}): CoverageCandidate => ({
  exceptionId: 'exc-1',
  status: 'approved',
  scope: { applicationId: 'legacy-vpn' },
  allowedMethods: ['totp'],
  requestedAt: '2026-11-01T00:00:00.000Z',
  expiresAt: '2026-11-10T00:00:00.000Z',
  ...overrides,
});
const recordFallback = (exceptions: CoverageCandidate[]) => ({
  type: 'RecordSubjectEvent' as const,
  event: fallback,
  evaluation: {
    policies: { versions: [] },
    id: 'fb-1',
    source: 'https://vpn.example.com',
    revision: 4,
    recordedAt: FALLBACK_TIME,
    subjectId: 'u-123',
    exceptions,
  },
});
const evaluated = (covered: boolean, reason: string, exceptionId?: string): SubjectEvent => ({
  type: 'assurance.fallback.evaluated',
  data: {
    fallback: { revision: 4, id: 'fb-1', source: 'https://vpn.example.com', time: FALLBACK_TIME },
    applicationId: 'legacy-vpn',
    channel: 'vpn',
    usedMethod: 'totp',
    covered,
    ...(exceptionId !== undefined && { exceptionId }),
    reason,
  },
  time: FALLBACK_TIME,
});

describe('fallback coverage, decided while the fallback is recorded', () => {
  it('records an uncovered fallback when no exception is in scope', () => {
    given([])
      .when(recordFallback([]))
      .then([fallback, evaluated(false, 'no-exception-in-scope')]);
    given([])
      .when(recordFallback([exception({ scope: { applicationId: 'crm' } })]))
      .then([fallback, evaluated(false, 'no-exception-in-scope')]);
    given([])
      .when(recordFallback([exception({ scope: { subjectId: 'someone-else' } })]))
      .then([fallback, evaluated(false, 'no-exception-in-scope')]);
  });

  it('covers it with an approved exception whose scope, methods and window match', () => {
    given([])
      .when(recordFallback([exception()]))
      .then([fallback, evaluated(true, 'covered', 'exc-1')]);
    const everyScopeField = exception({ scope: { subjectId: 'u-123', applicationId: 'legacy-vpn', channel: 'vpn' } });
    given([])
      .when(recordFallback([everyScopeField]))
      .then([fallback, evaluated(true, 'covered', 'exc-1')]);
  });

  it('does not cover a method the exception does not allow', () => {
    given([])
      .when(recordFallback([exception({ allowedMethods: ['sms'] })]))
      .then([fallback, evaluated(false, 'method-not-allowed')]);
  });

  it('does not cover a fallback at or after the expiry, or before the request', () => {
    given([])
      .when(recordFallback([exception({ expiresAt: '2026-11-05T10:00:00.000Z' })]))
      .then([fallback, evaluated(false, 'exception-expired')]);
    given([])
      .when(recordFallback([exception({ requestedAt: '2026-11-06T00:00:00.000Z' })]))
      .then([fallback, evaluated(false, 'before-exception')]);
  });

  it('does not cover with an exception that is not approved', () => {
    for (const status of ['requested', 'rejected', 'revoked', 'expired'] as const) {
      given([])
        .when(recordFallback([exception({ status })]))
        .then([fallback, evaluated(false, 'exception-not-approved')]);
    }
  });

  it('names the covering exception that expires last when several apply', () => {
    const shorter = exception({ exceptionId: 'exc-a', expiresAt: '2026-11-07T00:00:00.000Z' });
    const longer = exception({ exceptionId: 'exc-b', expiresAt: '2026-11-09T00:00:00.000Z' });
    given([])
      .when(recordFallback([shorter, longer, exception({ exceptionId: 'exc-c', allowedMethods: ['sms'] })]))
      .then([fallback, evaluated(true, 'covered', 'exc-b')]);
  });

  it('writes nothing of its own for a caller that does not judge fallbacks', () => {
    given([]).when({ type: 'RecordSubjectEvent', event: fallback }).then([fallback]);
  });

  it('refuses an evaluation posted from outside', () => {
    given([])
      .when({ type: 'RecordSubjectEvent', event: evaluated(true, 'covered', 'exc-1') })
      .thenThrows((error) => (error as { code?: string }).code === 'ledger-event-not-recordable');
  });
});
