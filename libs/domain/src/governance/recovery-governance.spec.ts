import { isRecoveryWeakerThan, recoveryGovernanceOf } from './recovery-governance';

describe('recovery governance', () => {
  const selfService = { method: 'recovery-code' as const, verifiedBy: 'self-service', userNotified: true };

  it('holds a self-service recovery with a verifier and a notification as verified', () => {
    expect(recoveryGovernanceOf(selfService)).toEqual({ status: 'verified', missing: [] });
  });

  it('holds a recovery the user was not told about as unverified, naming the notification', () => {
    expect(recoveryGovernanceOf({ ...selfService, userNotified: false })).toEqual({ status: 'unverified', missing: ['user-notification'] });
  });

  it('holds a recovery with no recorded verifier as unverified, as stored events from lax emitters may be', () => {
    expect(recoveryGovernanceOf({ ...selfService, verifiedBy: '' })).toEqual({ status: 'unverified', missing: ['verifier'] });
  });

  it('needs a second person for a help-desk recovery, and the verifier cannot approve their own', () => {
    const assisted = { method: 'help-desk' as const, verifiedBy: 'agent-7', userNotified: true };
    expect(recoveryGovernanceOf(assisted)).toEqual({ status: 'unverified', missing: ['second-approval'] });
    expect(recoveryGovernanceOf({ ...assisted, approvedBy: 'agent-7' })).toEqual({ status: 'unverified', missing: ['second-approval'] });
    expect(recoveryGovernanceOf({ ...assisted, approvedBy: 'supervisor-2' })).toEqual({ status: 'verified', missing: [] });
    expect(recoveryGovernanceOf({ ...assisted, userNotified: false })).toEqual({
      status: 'unverified',
      missing: ['user-notification', 'second-approval'],
    });
  });

  it('finds SMS weaker than a security key (AAL3) and a re-proofing not weaker', () => {
    expect(isRecoveryWeakerThan('sms', 3)).toBe(true);
    expect(isRecoveryWeakerThan('re-proofing', 3)).toBe(false);
    expect(isRecoveryWeakerThan('recovery-code', 2)).toBe(false);
  });
});
