import { Decider, DomainRuleViolation } from '../../decider';
import { AuthenticatorKind } from '../../event-catalog/vocabulary';
import { ExceptionEvent, ExceptionScope, ExceptionStatus } from './exception-events';

export interface ExceptionState {
  status: ExceptionStatus | 'none';
  exceptionId?: string;
  scope?: ExceptionScope;
  allowedMethods?: AuthenticatorKind[];
  requester?: string;
  requestedExpiresAt?: string;
  /** Once approved: the granted expiry. */
  expiresAt?: string;
  renewalCount: number;
}

export function initialExceptionState(): ExceptionState {
  return { status: 'none', renewalCount: 0 };
}

/** The exception being renewed, as the caller found it in the store. */
export interface RenewedException {
  exceptionId: string;
  status: ExceptionStatus;
  scope: ExceptionScope;
  renewalCount: number;
  /** Set when another request already renews it. */
  renewedBy?: string;
}

export interface RequestException {
  type: 'RequestException';
  exceptionId: string;
  scope: ExceptionScope;
  allowedMethods: AuthenticatorKind[];
  justification: string;
  requester: string;
  requestedExpiresAt: string;
  renews?: RenewedException;
  /** Server clock. */
  now: string;
  policy: { version: number; maxDurationSeconds: number };
}

export interface ApproveException {
  type: 'ApproveException';
  reviewer: string;
  note: string;
  /** Defaults to the requested expiry; may shorten it, never extend it. */
  expiresAt?: string;
  now: string;
}

export interface RejectException {
  type: 'RejectException';
  reviewer: string;
  reason: string;
  now: string;
}

export interface RevokeException {
  type: 'RevokeException';
  revokedBy: string;
  reason: string;
  now: string;
}

export interface ExpireException {
  type: 'ExpireException';
  now: string;
}

export type ExceptionCommand = RequestException | ApproveException | RejectException | RevokeException | ExpireException;

export type ExceptionRuleViolationCode =
  | 'exception-not-found'
  | 'exception-already-exists'
  | 'approver-is-requester'
  | 'exception-already-decided'
  | 'exception-not-approved'
  | 'exception-expired'
  | 'exception-not-due'
  | 'renewal-not-allowed';

/** The command contradicts the exception's history (409, or 403 for self-approval). */
export class ExceptionRuleViolation extends DomainRuleViolation<ExceptionRuleViolationCode> {}

/** The command itself is wrong, whatever the history (400 naming the field). */
export class InvalidExceptionCommand extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    /** For an expiry past the policy's maximum: the latest allowed expiry and the maximum duration. */
    readonly limit?: { maxDurationSeconds: number; latestExpiresAt: string },
  ) {
    super(`${field} ${reason}`);
    this.name = 'InvalidExceptionCommand';
  }
}

const at = (time: string) => Date.parse(time);

export function decideException(command: ExceptionCommand, state: ExceptionState): ExceptionEvent[] {
  switch (command.type) {
    case 'RequestException':
      return [requestException(command, state)];
    case 'ApproveException': {
      const pending = pendingOrThrow(state, command.now, 'approved');
      if (command.reviewer === pending.requester) {
        throw new ExceptionRuleViolation(
          'approver-is-requester',
          `${command.reviewer} requested this exception and cannot approve it; another reviewer must`,
        );
      }
      const expiresAt = command.expiresAt ?? pending.requestedExpiresAt!;
      if (at(expiresAt) > at(pending.requestedExpiresAt!)) {
        throw new InvalidExceptionCommand(
          'expiresAt',
          `must not be later than the requested expiry ${pending.requestedExpiresAt}: an approval may shorten an exception, never extend it`,
        );
      }
      if (at(expiresAt) <= at(command.now)) throw new InvalidExceptionCommand('expiresAt', 'must be in the future');
      return [
        {
          type: 'assurance.exception.approved',
          data: { exceptionId: pending.exceptionId!, reviewer: command.reviewer, note: command.note, approvedAt: command.now, expiresAt },
          time: command.now,
        },
      ];
    }
    case 'RejectException': {
      const pending = pendingOrThrow(state, command.now, 'rejected');
      return [
        {
          type: 'assurance.exception.rejected',
          data: { exceptionId: pending.exceptionId!, reviewer: command.reviewer, reason: command.reason, rejectedAt: command.now },
          time: command.now,
        },
      ];
    }
    case 'RevokeException': {
      existingOrThrow(state);
      if (state.status !== 'approved') {
        throw new ExceptionRuleViolation(
          'exception-not-approved',
          `only an approved exception can be revoked; this one is ${state.status}`,
        );
      }
      if (at(state.expiresAt!) <= at(command.now)) {
        throw new ExceptionRuleViolation(
          'exception-expired',
          `the exception expired at ${state.expiresAt}; there is nothing left to revoke`,
        );
      }
      return [
        {
          type: 'assurance.exception.revoked',
          data: { exceptionId: state.exceptionId!, revokedBy: command.revokedBy, reason: command.reason, revokedAt: command.now },
          time: command.now,
        },
      ];
    }
    case 'ExpireException': {
      existingOrThrow(state);
      if (state.status !== 'approved' && state.status !== 'requested') {
        throw new ExceptionRuleViolation('exception-already-decided', `a ${state.status} exception does not expire`);
      }
      const expiry = expiryOf(state)!;
      if (at(expiry) > at(command.now))
        throw new ExceptionRuleViolation('exception-not-due', `the exception expires at ${expiry}, not before`);
      return [
        {
          type: 'assurance.exception.expired',
          data: { exceptionId: state.exceptionId!, expiredAt: expiry, previousStatus: state.status },
          time: expiry,
        },
      ];
    }
  }
}

function requestException(command: RequestException, state: ExceptionState): ExceptionEvent {
  if (state.status !== 'none') {
    throw new ExceptionRuleViolation('exception-already-exists', `exception ${command.exceptionId} already exists`);
  }
  const { scope, now, policy, renews } = command;
  if (scope.subjectId === undefined && scope.applicationId === undefined && scope.channel === undefined) {
    throw new InvalidExceptionCommand('scope', 'must name at least one of subjectId, applicationId and channel');
  }
  if (command.allowedMethods.length === 0) throw new InvalidExceptionCommand('allowedMethods', 'must name at least one method');
  if (Number.isNaN(at(command.requestedExpiresAt))) throw new InvalidExceptionCommand('expiresAt', 'must be an RFC 3339 time');
  if (at(command.requestedExpiresAt) <= at(now)) throw new InvalidExceptionCommand('expiresAt', 'must be in the future');
  const latest = new Date(at(now) + policy.maxDurationSeconds * 1000).toISOString();
  if (at(command.requestedExpiresAt) > at(latest)) {
    throw new InvalidExceptionCommand(
      'expiresAt',
      `must be at most ${policy.maxDurationSeconds} seconds after the request (policy version ${policy.version}): no later than ${latest}`,
      { maxDurationSeconds: policy.maxDurationSeconds, latestExpiresAt: latest },
    );
  }
  if (renews) checkRenewable(renews, scope);
  return {
    type: 'assurance.exception.requested',
    data: {
      exceptionId: command.exceptionId,
      scope,
      allowedMethods: command.allowedMethods,
      justification: command.justification,
      requester: command.requester,
      requestedAt: now,
      requestedExpiresAt: command.requestedExpiresAt,
      ...(renews && { renews: renews.exceptionId }),
      renewalCount: renews ? renews.renewalCount + 1 : 0,
      policyVersion: policy.version,
    },
    time: now,
  };
}

/** A renewal continues a granted exception for the same scope; it cannot revive a rejected or revoked one, or fork a chain. */
function checkRenewable(renewed: RenewedException, scope: ExceptionScope): void {
  if (renewed.status !== 'approved' && renewed.status !== 'expired') {
    throw new ExceptionRuleViolation(
      'renewal-not-allowed',
      `exception ${renewed.exceptionId} is ${renewed.status}; only an approved or expired exception can be renewed`,
    );
  }
  if (renewed.renewedBy !== undefined) {
    throw new ExceptionRuleViolation(
      'renewal-not-allowed',
      `exception ${renewed.exceptionId} was already renewed by ${renewed.renewedBy}; renew that one instead`,
    );
  }
  if (!sameScope(renewed.scope, scope)) {
    throw new ExceptionRuleViolation(
      'renewal-not-allowed',
      `a renewal keeps the scope of exception ${renewed.exceptionId}; request a new exception for a different scope`,
    );
  }
}

function sameScope(a: ExceptionScope, b: ExceptionScope): boolean {
  return a.subjectId === b.subjectId && a.applicationId === b.applicationId && a.channel === b.channel;
}

function existingOrThrow(state: ExceptionState): void {
  if (state.status === 'none') throw new ExceptionRuleViolation('exception-not-found', 'no such exception');
}

function pendingOrThrow(state: ExceptionState, now: string, outcome: 'approved' | 'rejected'): ExceptionState {
  existingOrThrow(state);
  if (state.status === 'expired' || (state.status === 'requested' && at(state.requestedExpiresAt!) <= at(now))) {
    throw new ExceptionRuleViolation(
      'exception-expired',
      `the exception expired at ${state.requestedExpiresAt}; it can no longer be ${outcome}: request a new one`,
    );
  }
  if (state.status !== 'requested') {
    throw new ExceptionRuleViolation(
      'exception-already-decided',
      `the exception is already ${state.status}; it can no longer be ${outcome}`,
    );
  }
  return state;
}

/** When the exception stops applying: the granted expiry, or the requested one while pending. */
export function expiryOf(state: Pick<ExceptionState, 'status' | 'expiresAt' | 'requestedExpiresAt'>): string | undefined {
  return state.expiresAt ?? state.requestedExpiresAt;
}

export function evolveException(state: ExceptionState, event: ExceptionEvent): ExceptionState {
  switch (event.type) {
    case 'assurance.exception.requested': {
      const { exceptionId, scope, allowedMethods, requester, requestedExpiresAt, renewalCount } = event.data;
      return { status: 'requested', exceptionId, scope, allowedMethods, requester, requestedExpiresAt, renewalCount };
    }
    case 'assurance.exception.approved':
      return { ...state, status: 'approved', expiresAt: event.data.expiresAt };
    case 'assurance.exception.rejected':
      return { ...state, status: 'rejected' };
    case 'assurance.exception.revoked':
      return { ...state, status: 'revoked' };
    case 'assurance.exception.expired':
      return { ...state, status: 'expired' };
  }
}

export const exceptionDecider: Decider<ExceptionState, ExceptionCommand, ExceptionEvent> = {
  decide: decideException,
  evolve: evolveException,
  initialState: initialExceptionState,
};
