import {
  DomainRuleViolation,
  EVENT_TYPES,
  EventType,
  subjectDecider,
  SubjectEvent,
  SubjectRuleViolation,
  SubjectRuleViolationCode,
} from '@ledger/domain';
import { DeciderSpecification, VALID_EVENT_DATA_EXAMPLES } from '@ledger/domain/testing';

const given = (history: SubjectEvent[]) => DeciderSpecification.for(subjectDecider).given(history);
const record = (event: SubjectEvent) => ({ type: 'RecordSubjectEvent' as const, event });
const violation = (code: SubjectRuleViolationCode) => (error: unknown) => error instanceof SubjectRuleViolation && error.code === code;

const at = (minute: number) => `2024-05-01T09:${String(minute).padStart(2, '0')}:00Z`;

const enrolled = (authenticatorId: string, time = at(0)): SubjectEvent => ({
  type: 'assurance.authenticator.enrolled',
  data: { ...VALID_EVENT_DATA_EXAMPLES['assurance.authenticator.enrolled'], authenticatorId },
  time,
});
const revoked = (authenticatorId: string, time = at(1)): SubjectEvent => ({
  type: 'assurance.authenticator.revoked',
  data: { authenticatorId, reason: 'lost' },
  time,
});
type DeviceEventType = 'assurance.device.bound' | 'assurance.device.unbound' | 'assurance.device.compliance-changed';
const device = (type: DeviceEventType, deviceId: string): SubjectEvent => ({
  type,
  data: { deviceId, platform: 'windows', managed: true, compliant: true },
  time: at(2),
});

describe('subject decider', () => {
  describe('enrolling an authenticator', () => {
    it('records a first enrollment', () => {
      given([])
        .when(record(enrolled('key-1')))
        .then([enrolled('key-1')]);
    });

    it('records a second, different authenticator', () => {
      given([enrolled('key-1')])
        .when(record(enrolled('key-2')))
        .then([enrolled('key-2')]);
    });

    it('refuses an authenticator that is already active', () => {
      given([enrolled('key-1')])
        .when(record(enrolled('key-1', at(5))))
        .thenThrows(violation('authenticator-already-active'));
    });

    it('records re-enrolling an authenticator after it was revoked', () => {
      given([enrolled('key-1'), revoked('key-1')])
        .when(record(enrolled('key-1', at(9))))
        .then([enrolled('key-1', at(9))]);
    });
  });

  describe('revoking an authenticator', () => {
    it('records revoking an active authenticator', () => {
      given([enrolled('key-1')])
        .when(record(revoked('key-1')))
        .then([revoked('key-1')]);
    });

    it('refuses one that was never enrolled', () => {
      given([enrolled('key-1')])
        .when(record(revoked('key-2')))
        .thenThrows(violation('authenticator-not-active'));
    });

    it('refuses one that is already revoked', () => {
      given([enrolled('key-1'), revoked('key-1')])
        .when(record(revoked('key-1', at(3))))
        .thenThrows(SubjectRuleViolation, (error) => error.code === 'authenticator-not-active' && /already revoked/.test(error.message));
    });

    it('does not mistake an inherited object member for an enrolled authenticator', () => {
      given([])
        .when(record(revoked('constructor')))
        .thenThrows(violation('authenticator-not-active'));
    });
  });

  describe('unbinding a device', () => {
    it('records unbinding a bound device', () => {
      given([device('assurance.device.bound', 'pc-1')])
        .when(record(device('assurance.device.unbound', 'pc-1')))
        .then([device('assurance.device.unbound', 'pc-1')]);
    });

    it('refuses a device that was never bound', () => {
      given([device('assurance.device.bound', 'pc-1')])
        .when(record(device('assurance.device.unbound', 'pc-2')))
        .thenThrows(violation('device-not-bound'));
    });

    it('refuses a device that is already unbound', () => {
      given([device('assurance.device.bound', 'pc-1'), device('assurance.device.unbound', 'pc-1')])
        .when(record(device('assurance.device.unbound', 'pc-1')))
        .thenThrows(violation('device-not-bound'));
    });

    it('refuses a device only known from a compliance report', () => {
      given([device('assurance.device.compliance-changed', 'pc-1')])
        .when(record(device('assurance.device.unbound', 'pc-1')))
        .thenThrows(violation('device-not-bound'));
    });

    it('does not mistake an inherited object member for a bound device', () => {
      given([])
        .when(record(device('assurance.device.unbound', 'toString')))
        .thenThrows(violation('device-not-bound'));
    });
  });

  const CONDITIONAL: EventType[] = ['assurance.authenticator.revoked', 'assurance.device.unbound', 'assurance.recovery.approved'];
  const unconditional = EVENT_TYPES.filter((type) => !CONDITIONAL.includes(type));

  describe('approving a recovery (the second person of an assisted recovery)', () => {
    const recovery = (type: 'assurance.recovery.completed' | 'assurance.recovery.failed', revision: number): SubjectEvent => ({
      type,
      data: { method: 'help-desk', verifiedBy: 'agent-7', ticketId: 'INC-9', userNotified: true },
      time: at(10),
      revision,
    });
    const approval = (recoveryRevision: number, approvedBy = 'lead-2'): SubjectEvent => ({
      type: 'assurance.recovery.approved',
      data: { recoveryRevision, approvedBy },
      time: at(20),
    });

    it('records an approval by someone other than the verifier', () => {
      given([recovery('assurance.recovery.completed', 3)])
        .when(record(approval(3)))
        .then([approval(3)]);
    });

    it('refuses the verifier approving their own recovery', () => {
      given([recovery('assurance.recovery.completed', 3)])
        .when(record(approval(3, 'agent-7')))
        .thenThrows(
          SubjectRuleViolation,
          (error) => error.code === 'recovery-not-approvable' && /cannot also be its second approver/.test(error.message),
        );
    });

    it('refuses an approval of a revision that is not a completed recovery', () => {
      given([recovery('assurance.recovery.failed', 3)])
        .when(record(approval(3)))
        .thenThrows(violation('recovery-not-approvable'));
      given([recovery('assurance.recovery.completed', 3)])
        .when(record(approval(2)))
        .thenThrows(violation('recovery-not-approvable'));
    });

    it('marks the recovery it refers to as approved', () => {
      const state = [recovery('assurance.recovery.completed', 3), approval(3)].reduce(subjectDecider.evolve, subjectDecider.initialState());
      expect(state.recentRecoveries).toEqual([expect.objectContaining({ revision: 3, approvedBy: 'lead-2' })]);
    });
  });

  it.each(unconditional)('records %s on a fresh subject: services report facts, the ledger keeps them', (type) => {
    const event = { type, data: VALID_EVENT_DATA_EXAMPLES[type], time: at(7) } as SubjectEvent;
    given([]).when(record(event)).then([event]);
  });

  it('raises violations that callers can catch generically, with a code and an explanation', () => {
    let caught: unknown;
    try {
      subjectDecider.decide(record(revoked('key-9')), subjectDecider.initialState());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainRuleViolation);
    expect(caught).toMatchObject({
      name: 'SubjectRuleViolation',
      code: 'authenticator-not-active',
      message: 'authenticator key-9 cannot be revoked: it was never enrolled for this subject',
    });
  });
});
