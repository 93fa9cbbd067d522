import { Decider, DomainRuleViolation } from '../decider';
import { AccessRequest, decideAccess, evaluateAuthentication, ExceptionsInScope } from '../policy/evaluation';
import { PolicyHistory, policyInForceAt } from '../policy/policy-history';
import { CoverageCandidate, evaluateFallbackCoverage } from '../governance/exceptions/exception-coverage';
import { ownEntry } from './own-entry';
import { evolve, initialSubjectState, RECENT_HISTORY_LIMIT, SubjectEvent, SubjectState } from './subject-state';

/** What the ledger needs to judge an authentication it is about to record. */
export interface EvaluationContext {
  policies: PolicyHistory;
  /** CloudEvents identity of the incoming event. */
  id: string;
  source: string;
  /** The revision the incoming event will take in its stream. */
  revision: number;
  /**
   * When the ledger received it. The policy in force is taken at the earlier
   * of the event's time and this, so that a future-dated event is not judged
   * by a policy published after it arrived: replay then finds the same version.
   */
  recordedAt: string;
  /** The subject this stream belongs to. */
  subjectId?: string;
  /**
   * Approved exceptions that may apply to this subject, as the store holds
   * them when the event is recorded. Without it no fallback is judged, and
   * no authentication can be `excepted`.
   */
  exceptions?: readonly CoverageCandidate[];
}

/** A service reports a fact about a subject; the ledger records it unless history contradicts it. */
export interface RecordSubjectEvent {
  type: 'RecordSubjectEvent';
  event: SubjectEvent;
  /** Without it no verdict is written: only for callers that record history the ledger does not judge. */
  evaluation?: EvaluationContext;
}

/** A resource asks whether the subject may proceed; the answer is itself recorded. */
export interface DecideSubjectAccess {
  type: 'DecideSubjectAccess';
  request: AccessRequest;
  policies: PolicyHistory;
  /** Server clock at the boundary. */
  now: string;
  decisionId: string;
  /** Approved exceptions that may apply to this subject; without them none is applied. */
  exceptions?: ExceptionsInScope;
}

export type SubjectCommand = RecordSubjectEvent | DecideSubjectAccess;

export type SubjectRuleViolationCode =
  | 'authenticator-already-active'
  | 'authenticator-not-active'
  | 'device-not-bound'
  | 'recovery-not-approvable'
  | 'ledger-event-not-recordable';

export class SubjectRuleViolation extends DomainRuleViolation<SubjectRuleViolationCode> {}

/**
 * Only lifecycle contradictions are refused. Everything else is a fact observed
 * by another service, and a ledger that second-guessed facts would lose them.
 */
export function decide(command: SubjectCommand, state: SubjectState): SubjectEvent[] {
  if (command.type === 'DecideSubjectAccess') {
    const data = decideAccess(command.request, state, command.policies, command.now, command.decisionId, command.exceptions);
    return [{ type: 'assurance.access.decided', data, time: command.now }];
  }
  const { event } = command;
  switch (event.type) {
    case 'assurance.authenticator.enrolled': {
      const { authenticatorId } = event.data;
      if (ownEntry(state.authenticators, authenticatorId)?.status === 'active') {
        throw new SubjectRuleViolation(
          'authenticator-already-active',
          `authenticator ${authenticatorId} is already active for this subject; revoke it before enrolling it again`,
        );
      }
      break;
    }
    case 'assurance.authenticator.revoked': {
      const { authenticatorId } = event.data;
      const authenticator = ownEntry(state.authenticators, authenticatorId);
      if (authenticator?.status !== 'active') {
        const history = authenticator ? 'was already revoked' : 'was never enrolled';
        throw new SubjectRuleViolation(
          'authenticator-not-active',
          `authenticator ${authenticatorId} cannot be revoked: it ${history} for this subject`,
        );
      }
      break;
    }
    case 'assurance.device.unbound': {
      const { deviceId } = event.data;
      if (!ownEntry(state.devices, deviceId)?.bound) {
        throw new SubjectRuleViolation('device-not-bound', `device ${deviceId} cannot be unbound: it is not bound to this subject`);
      }
      break;
    }
    case 'assurance.recovery.approved': {
      const { recoveryRevision, approvedBy } = event.data;
      const recovery = state.recentRecoveries.find((candidate) => candidate.revision === recoveryRevision);
      if (recovery?.phase !== 'completed') {
        throw new SubjectRuleViolation(
          'recovery-not-approvable',
          `revision ${recoveryRevision} is not one of this subject's last ${RECENT_HISTORY_LIMIT} recoveries, or not a completed one`,
        );
      }
      if (approvedBy === recovery.verifiedBy) {
        throw new SubjectRuleViolation(
          'recovery-not-approvable',
          `${approvedBy} verified this recovery and cannot also be its second approver`,
        );
      }
      break;
    }
    case 'assurance.authentication.evaluated':
    case 'assurance.access.decided':
    case 'assurance.fallback.evaluated':
      throw new SubjectRuleViolation(
        'ledger-event-not-recordable',
        `${event.type} is written by the ledger itself and cannot be recorded from outside`,
      );
    case 'assurance.authentication.succeeded': {
      if (!command.evaluation || event.time === undefined) break;
      const { policies, id, source, revision, recordedAt, subjectId, exceptions } = command.evaluation;
      const judgedAt = Date.parse(event.time) <= Date.parse(recordedAt) ? event.time : recordedAt;
      const inScope = exceptions && subjectId !== undefined ? { subjectId, candidates: exceptions } : undefined;
      const verdict = evaluateAuthentication(event.data, state, policyInForceAt(policies, judgedAt), inScope, event.time);
      return [
        event,
        {
          type: 'assurance.authentication.evaluated',
          data: { authentication: { revision, id, source, time: event.time }, ...verdict },
          time: event.time,
        },
      ];
    }
    case 'assurance.fallback.used': {
      const evaluation = command.evaluation;
      if (!evaluation?.exceptions || evaluation.subjectId === undefined || event.time === undefined) break;
      const { applicationId, channel, usedMethod } = event.data;
      const coverage = evaluateFallbackCoverage(
        { subjectId: evaluation.subjectId, applicationId, channel, usedMethod, time: event.time },
        evaluation.exceptions,
      );
      const { id, source, revision } = evaluation;
      return [
        event,
        {
          type: 'assurance.fallback.evaluated',
          data: {
            fallback: { revision, id, source, time: event.time },
            applicationId,
            channel,
            usedMethod,
            covered: coverage.covered,
            ...(coverage.exceptionId !== undefined && { exceptionId: coverage.exceptionId }),
            reason: coverage.reason,
          },
          time: event.time,
        },
      ];
    }
  }
  return [event];
}

export const subjectDecider: Decider<SubjectState, SubjectCommand, SubjectEvent> = {
  decide,
  evolve,
  initialState: initialSubjectState,
};
