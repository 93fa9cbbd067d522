import { AuthenticatorRecord, initialSubjectState, SubjectState } from '../subject';
import { highestAvailableAal } from '../policy';
import { summarizeSubject } from './subject-summary';
import { recoveryDependenceOf } from './recovery-dependence';

function withAuthenticators(...records: Array<Partial<AuthenticatorRecord> & Pick<AuthenticatorRecord, 'kind'>>): SubjectState {
  const authenticators = Object.fromEntries(
    records.map((record, i) => [
      `a${i}`,
      {
        authenticatorId: `a${i}`,
        phishingResistant: false,
        hardwareBound: false,
        syncable: false,
        userVerification: true,
        status: 'active',
        ...record,
      } as AuthenticatorRecord,
    ]),
  );
  return { ...initialSubjectState(), authenticators };
}

describe('summarizeSubject', () => {
  it('is not passwordless with nothing active, nor with an active password or OTP', () => {
    expect(summarizeSubject(initialSubjectState())).toEqual({ passwordless: false, phishingResistantCapable: false, highestAal: 0 });
    for (const kind of ['password', 'totp', 'sms', 'voice', 'email-otp'] as const) {
      expect(
        summarizeSubject(withAuthenticators({ kind: 'security-key', phishingResistant: true, hardwareBound: true }, { kind })).passwordless,
      ).toBe(false);
    }
  });

  it('ignores revoked authenticators', () => {
    const state = withAuthenticators(
      { kind: 'passkey-synced', phishingResistant: true, syncable: true },
      { kind: 'password', status: 'revoked' },
      { kind: 'security-key', phishingResistant: true, status: 'revoked' },
    );
    expect(summarizeSubject(state)).toMatchObject({ passwordless: true, phishingResistantCapable: true });
    const onlyRevoked = withAuthenticators({ kind: 'security-key', phishingResistant: true, status: 'revoked' });
    expect(summarizeSubject(onlyRevoked)).toEqual({ passwordless: false, phishingResistantCapable: false, highestAal: 0 });
  });

  it('takes the highest AAL from the policy over the active authenticators only', () => {
    const state = withAuthenticators(
      { kind: 'security-key', phishingResistant: true, hardwareBound: true, status: 'revoked' },
      { kind: 'password' },
    );
    const active = Object.values(state.authenticators).filter((a) => a.status === 'active');
    expect(summarizeSubject(state).highestAal).toBe(highestAvailableAal(active));
    expect(summarizeSubject(state).highestAal).toBeLessThan(
      summarizeSubject(withAuthenticators({ kind: 'security-key', phishingResistant: true, hardwareBound: true }, { kind: 'password' }))
        .highestAal,
    );
  });
});

describe('recoveryDependenceOf', () => {
  it('marks password resets and help-desk recoveries', () => {
    expect(recoveryDependenceOf('password-reset')).toBe('password');
    expect(recoveryDependenceOf('help-desk')).toBe('knowledge-based');
    expect(recoveryDependenceOf('recovery-code')).toBe('none');
  });
});
