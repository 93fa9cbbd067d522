import { Decider, DomainRuleViolation } from '../decider';
import { ownEntry } from './own-entry';
import { evolve, initialSubjectState, SubjectEvent, SubjectState } from './subject-state';

/** A service reports a fact about a subject; the ledger records it unless history contradicts it. */
export interface RecordSubjectEvent {
  type: 'RecordSubjectEvent';
  event: SubjectEvent;
}

export type SubjectCommand = RecordSubjectEvent;

export type SubjectRuleViolationCode = 'authenticator-already-active' | 'authenticator-not-active' | 'device-not-bound';

export class SubjectRuleViolation extends DomainRuleViolation<SubjectRuleViolationCode> {}

/**
 * Only lifecycle contradictions are refused. Everything else is a fact observed
 * by another service, and a ledger that second-guessed facts would lose them.
 */
export function decide(command: SubjectCommand, state: SubjectState): SubjectEvent[] {
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
  }
  return [event];
}

export const subjectDecider: Decider<SubjectState, SubjectCommand, SubjectEvent> = {
  decide,
  evolve,
  initialState: initialSubjectState,
};
