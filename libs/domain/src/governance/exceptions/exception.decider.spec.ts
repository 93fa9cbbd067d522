import {
  ExceptionCommand,
  exceptionDecider,
  ExceptionEvent,
  ExceptionRuleViolation,
  ExceptionRuleViolationCode,
  InvalidExceptionCommand,
  RenewedException,
} from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

const given = (history: ExceptionEvent[]) => DeciderSpecification.for(exceptionDecider).given(history);
const violation = (code: ExceptionRuleViolationCode) => (error: unknown) => error instanceof ExceptionRuleViolation && error.code === code;
const invalid = (field: string) => (error: unknown) => error instanceof InvalidExceptionCommand && error.field === field;

const DAY = 24 * 3600 * 1000;
const T0 = '2026-11-02T09:00:00.000Z';
const after = (days: number, from = T0) => new Date(Date.parse(from) + days * DAY).toISOString();
const POLICY = { version: 3, maxDurationSeconds: 30 * 24 * 3600 };
const SCOPE = { applicationId: 'legacy-vpn', channel: 'vpn' as const };

const request = (overrides: Partial<Extract<ExceptionCommand, { type: 'RequestException' }>> = {}): ExceptionCommand => ({
  type: 'RequestException',
  exceptionId: 'exc-1',
  scope: SCOPE,
  allowedMethods: ['totp'],
  justification: 'VPN concentrator cannot do FIDO2 until the upgrade',
  requester: 'helpdesk-key',
  requestedExpiresAt: after(14),
  now: T0,
  policy: POLICY,
  ...overrides,
});
const requested = (
  overrides: Partial<Extract<ExceptionEvent, { type: 'assurance.exception.requested' }>['data']> = {},
): ExceptionEvent => ({
  type: 'assurance.exception.requested',
  data: {
    exceptionId: 'exc-1',
    scope: SCOPE,
    allowedMethods: ['totp'],
    justification: 'VPN concentrator cannot do FIDO2 until the upgrade',
    requester: 'helpdesk-key',
    requestedAt: T0,
    requestedExpiresAt: after(14),
    renewalCount: 0,
    policyVersion: 3,
    ...overrides,
  },
  time: T0,
});
const approved = (expiresAt = after(14), approvedAt = after(1)): ExceptionEvent => ({
  type: 'assurance.exception.approved',
  data: { exceptionId: 'exc-1', reviewer: 'reviewer-key', note: 'until the upgrade', approvedAt, expiresAt },
  time: approvedAt,
});
const rejected: ExceptionEvent = {
  type: 'assurance.exception.rejected',
  data: { exceptionId: 'exc-1', reviewer: 'reviewer-key', reason: 'use the push app', rejectedAt: after(1) },
  time: after(1),
};
const revoked: ExceptionEvent = {
  type: 'assurance.exception.revoked',
  data: { exceptionId: 'exc-1', revokedBy: 'reviewer-key', reason: 'upgrade done', revokedAt: after(2) },
  time: after(2),
};
const expired = (previousStatus: 'approved' | 'requested' = 'approved'): ExceptionEvent => ({
  type: 'assurance.exception.expired',
  data: { exceptionId: 'exc-1', expiredAt: after(14), previousStatus },
  time: after(14),
});

const approve = (now = after(1), reviewer = 'reviewer-key', expiresAt?: string): ExceptionCommand => ({
  type: 'ApproveException',
  reviewer,
  note: 'until the upgrade',
  ...(expiresAt !== undefined && { expiresAt }),
  now,
});
const reject = (now = after(1)): ExceptionCommand => ({
  type: 'RejectException',
  reviewer: 'reviewer-key',
  reason: 'use the push app',
  now,
});
const revoke = (now = after(2)): ExceptionCommand => ({ type: 'RevokeException', revokedBy: 'reviewer-key', reason: 'upgrade done', now });
const expire = (now: string): ExceptionCommand => ({ type: 'ExpireException', now });

describe('exception decider', () => {
  describe('requesting', () => {
    it('records a request with its scope, methods, requester and requested expiry', () => {
      given([]).when(request()).then([requested()]);
    });

    it('accepts an expiry exactly at the policy maximum', () => {
      given([])
        .when(request({ requestedExpiresAt: after(30) }))
        .then([requested({ requestedExpiresAt: after(30) })]);
    });

    it('refuses an expiry past the policy maximum, naming the maximum and the latest allowed expiry', () => {
      given([])
        .when(request({ requestedExpiresAt: after(31) }))
        .thenThrows(
          InvalidExceptionCommand,
          (error) =>
            error.field === 'expiresAt' &&
            error.limit?.maxDurationSeconds === POLICY.maxDurationSeconds &&
            error.limit.latestExpiresAt === after(30),
        );
    });

    it('refuses an expiry in the past or not a time', () => {
      given([])
        .when(request({ requestedExpiresAt: T0 }))
        .thenThrows(invalid('expiresAt'));
      given([])
        .when(request({ requestedExpiresAt: 'soon' }))
        .thenThrows(invalid('expiresAt'));
    });

    it('refuses a scope that names nothing, and an empty method list', () => {
      given([])
        .when(request({ scope: {} }))
        .thenThrows(invalid('scope'));
      given([])
        .when(request({ allowedMethods: [] }))
        .thenThrows(invalid('allowedMethods'));
    });

    it('refuses a second request on the same exception', () => {
      given([requested()]).when(request()).thenThrows(violation('exception-already-exists'));
    });
  });

  describe('renewing', () => {
    const previous = (overrides: Partial<RenewedException> = {}): RenewedException => ({
      exceptionId: 'exc-0',
      status: 'expired',
      scope: SCOPE,
      renewalCount: 2,
      ...overrides,
    });

    it('records a renewal as a new request referencing the old one, one longer in the chain', () => {
      given([])
        .when(request({ renews: previous() }))
        .then([requested({ renews: 'exc-0', renewalCount: 3 })]);
      given([])
        .when(request({ renews: previous({ status: 'approved', renewalCount: 0 }) }))
        .then([requested({ renews: 'exc-0', renewalCount: 1 })]);
    });

    it('refuses to renew a rejected, revoked or still pending exception', () => {
      for (const status of ['rejected', 'revoked', 'requested'] as const) {
        given([])
          .when(request({ renews: previous({ status }) }))
          .thenThrows(violation('renewal-not-allowed'));
      }
    });

    it('refuses to renew one that was already renewed, or for another scope', () => {
      given([])
        .when(request({ renews: previous({ renewedBy: 'exc-5' }) }))
        .thenThrows(violation('renewal-not-allowed'));
      given([])
        .when(request({ renews: previous({ scope: { applicationId: 'other' } }) }))
        .thenThrows(violation('renewal-not-allowed'));
    });
  });

  describe('approving', () => {
    it('approves a pending request with the requested expiry', () => {
      given([requested()]).when(approve()).then([approved()]);
    });

    it('approves with a shorter expiry', () => {
      given([requested()])
        .when(approve(after(1), 'reviewer-key', after(7)))
        .then([approved(after(7))]);
    });

    it('refuses an approval that extends the requested expiry, or ends in the past', () => {
      given([requested()])
        .when(approve(after(1), 'reviewer-key', after(15)))
        .thenThrows(invalid('expiresAt'));
      given([requested()])
        .when(approve(after(1), 'reviewer-key', after(0.5)))
        .thenThrows(invalid('expiresAt'));
    });

    it('refuses approving your own request', () => {
      given([requested()])
        .when(approve(after(1), 'helpdesk-key'))
        .thenThrows(violation('approver-is-requester'));
    });

    it('refuses approving an exception whose requested expiry has passed, expired or not yet recorded as such', () => {
      given([requested()])
        .when(approve(after(14)))
        .thenThrows(violation('exception-expired'));
      given([requested(), expired('requested')])
        .when(approve(after(15)))
        .thenThrows(violation('exception-expired'));
    });

    it('refuses approving an approved, rejected or revoked exception', () => {
      given([requested(), approved()]).when(approve()).thenThrows(violation('exception-already-decided'));
      given([requested(), rejected]).when(approve()).thenThrows(violation('exception-already-decided'));
      given([requested(), approved(), revoked])
        .when(approve(after(3)))
        .thenThrows(violation('exception-already-decided'));
    });

    it('refuses approving an exception that was never requested', () => {
      given([]).when(approve()).thenThrows(violation('exception-not-found'));
    });
  });

  describe('rejecting', () => {
    it('rejects a pending request', () => {
      given([requested()]).when(reject()).then([rejected]);
    });

    it('refuses rejecting an approved, rejected, expired or unknown exception', () => {
      given([requested(), approved()]).when(reject()).thenThrows(violation('exception-already-decided'));
      given([requested(), rejected]).when(reject()).thenThrows(violation('exception-already-decided'));
      given([requested()])
        .when(reject(after(20)))
        .thenThrows(violation('exception-expired'));
      given([]).when(reject()).thenThrows(violation('exception-not-found'));
    });
  });

  describe('revoking', () => {
    it('revokes an approved exception', () => {
      given([requested(), approved()]).when(revoke()).then([revoked]);
    });

    it('refuses revoking a pending, rejected, revoked or expired exception', () => {
      given([requested()]).when(revoke()).thenThrows(violation('exception-not-approved'));
      given([requested(), rejected]).when(revoke()).thenThrows(violation('exception-not-approved'));
      given([requested(), approved(), revoked])
        .when(revoke(after(3)))
        .thenThrows(violation('exception-not-approved'));
      given([requested(), approved(), expired()])
        .when(revoke(after(15)))
        .thenThrows(violation('exception-not-approved'));
    });

    it('refuses revoking an approved exception past its expiry', () => {
      given([requested(), approved()])
        .when(revoke(after(14)))
        .thenThrows(violation('exception-expired'));
    });
  });

  describe('expiring', () => {
    it('records the expiry at the expiry time, however late the scheduler runs', () => {
      given([requested(), approved()])
        .when(expire(after(16)))
        .then([expired()]);
      given([requested(), approved(after(7))])
        .when(expire(after(9)))
        .then([
          {
            type: 'assurance.exception.expired',
            data: { exceptionId: 'exc-1', expiredAt: after(7), previousStatus: 'approved' },
            time: after(7),
          },
        ]);
    });

    it('lets a request nobody decided on lapse at its requested expiry', () => {
      given([requested()])
        .when(expire(after(14)))
        .then([expired('requested')]);
    });

    it('refuses expiring before the expiry', () => {
      given([requested(), approved()])
        .when(expire(after(13)))
        .thenThrows(violation('exception-not-due'));
    });

    it('refuses expiring a rejected, revoked or already expired exception', () => {
      given([requested(), rejected])
        .when(expire(after(20)))
        .thenThrows(violation('exception-already-decided'));
      given([requested(), approved(), revoked])
        .when(expire(after(20)))
        .thenThrows(violation('exception-already-decided'));
      given([requested(), approved(), expired()])
        .when(expire(after(20)))
        .thenThrows(violation('exception-already-decided'));
      given([])
        .when(expire(after(20)))
        .thenThrows(violation('exception-not-found'));
    });
  });
});
