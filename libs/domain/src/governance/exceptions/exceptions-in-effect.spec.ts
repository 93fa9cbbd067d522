import {
  AccessDecidedData,
  AuthenticationEvaluatedData,
  CoverageCandidate,
  DEFAULT_POLICY,
  evolvePolicyHistory,
  initialPolicyHistory,
  PolicyHistory,
  subjectDecider,
  SubjectEvent,
} from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

/**
 * Issue 16: an approved exception takes effect everywhere its scope reaches.
 * Inside it, an authentication by an allowed method is `excepted`, not a
 * violation; a decision allows access that the current authentication only
 * reaches through it, and stops doing so at its expiry or revocation.
 */
const given = (history: SubjectEvent[]) => DeciderSpecification.for(subjectDecider).given(history);
const at = (hours: number, minutes = 0) => new Date(Date.UTC(2026, 11, 1, hours, minutes)).toISOString();

/** Version 2, from 06:00: the legacy VPN needs AAL2. */
const policies: PolicyHistory = evolvePolicyHistory(initialPolicyHistory(), {
  type: 'assurance.policy.published',
  data: { version: 2, policy: { ...DEFAULT_POLICY, applications: { 'legacy-vpn': { requiredAal: 2 } } }, publishedAt: at(6) },
});

const enrolledTotp: SubjectEvent = {
  type: 'assurance.authenticator.enrolled',
  // Without user verification a TOTP is one factor: AAL1 alone (SP 800-63B-4 §3.1.4).
  data: {
    authenticatorId: 'totp-1',
    kind: 'totp',
    phishingResistant: false,
    hardwareBound: false,
    syncable: false,
    userVerification: false,
  },
  time: at(1),
};
const enrolledPasskey: SubjectEvent = {
  type: 'assurance.authenticator.enrolled',
  data: {
    authenticatorId: 'key-1',
    kind: 'passkey-device-bound',
    phishingResistant: true,
    hardwareBound: true,
    syncable: false,
    userVerification: true,
  },
  time: at(1),
};

const totpLogin = (time: string, applicationId = 'legacy-vpn'): SubjectEvent => ({
  type: 'assurance.authentication.succeeded',
  data: { channel: 'vpn', applicationId, methods: [{ kind: 'totp', authenticatorId: 'totp-1', amr: ['otp'] }] },
  time,
});

const exception = (overrides: Partial<CoverageCandidate> = {}): CoverageCandidate => ({
  exceptionId: 'exc-1',
  status: 'approved',
  scope: { subjectId: 'alice', applicationId: 'legacy-vpn' },
  allowedMethods: ['totp'],
  requestedAt: at(8),
  expiresAt: at(18),
  ...overrides,
});

const record = (event: SubjectEvent, exceptions: CoverageCandidate[]) => ({
  type: 'RecordSubjectEvent' as const,
  event: { ...event, revision: 2 },
  evaluation: {
    policies,
    id: 'login-1',
    source: 'https://vpn.example.com',
    revision: 2,
    recordedAt: event.time!,
    subjectId: 'alice',
    exceptions,
  },
});

const verdictOn = (event: SubjectEvent, exceptions: CoverageCandidate[], history: SubjectEvent[] = [enrolledTotp]) => {
  const state = history.reduce(subjectDecider.evolve, subjectDecider.initialState());
  const [, verdict] = subjectDecider.decide(record(event, exceptions), state) as SubjectEvent[];
  return verdict.data as AuthenticationEvaluatedData;
};

/** The history a decision sees: enrollments, then the TOTP login and its verdict as ingestion records them. */
const historyWithLogin = (loginAt: string, exceptions: CoverageCandidate[], enrollments: SubjectEvent[] = [enrolledTotp]) => {
  const state = enrollments.reduce(subjectDecider.evolve, subjectDecider.initialState());
  return [...enrollments, ...(subjectDecider.decide(record(totpLogin(loginAt), exceptions), state) as SubjectEvent[])];
};

const decideAt = (now: string, exceptions: CoverageCandidate[], applicationId = 'legacy-vpn') => ({
  type: 'DecideSubjectAccess' as const,
  request: { channel: 'vpn' as const, applicationId, context: { signals: [] } },
  policies,
  now,
  decisionId: 'decision-1',
  exceptions: { subjectId: 'alice', candidates: exceptions },
});

const decision = (history: SubjectEvent[], now: string, exceptions: CoverageCandidate[], applicationId?: string) => {
  const state = history.reduce(subjectDecider.evolve, subjectDecider.initialState());
  return (subjectDecider.decide(decideAt(now, exceptions, applicationId), state) as SubjectEvent[])[0].data as AccessDecidedData;
};

describe('an approved exception in effect on verdicts', () => {
  it('given an approved exception for TOTP on the legacy VPN, when alice signs in there by TOTP, then the verdict is excepted and names the exception and its expiry', () => {
    given([enrolledTotp])
      .when(record(totpLogin(at(9)), [exception()]))
      .then([
        { ...totpLogin(at(9)), revision: 2 },
        {
          type: 'assurance.authentication.evaluated',
          time: at(9),
          data: {
            authentication: { revision: 2, id: 'login-1', source: 'https://vpn.example.com', time: at(9) },
            applicationId: 'legacy-vpn',
            channel: 'vpn',
            requiredAal: 2,
            achievedAal: 1,
            phishingResistant: false,
            amr: ['otp'],
            acr: ['nist-aal1'],
            verdict: 'excepted',
            reasons: [
              { rule: 'aal-below-required', detail: 'achieved AAL1, policy requires AAL2' },
              { rule: 'exception-applies', detail: `exception exc-1 allows this until ${at(18)}` },
            ],
            exception: { exceptionId: 'exc-1', expiresAt: at(18) },
            policyVersion: 2,
            decisionPath: [
              { rule: 'channel-minimum', detail: 'channel vpn requires AAL2' },
              { rule: 'application-override', detail: 'application legacy-vpn asks AAL2; the channel minimum AAL2 stands' },
              { rule: 'aal1-single-factor', detail: 'achieved AAL1 from totp' },
              { rule: 'aal-below-required', detail: 'achieved AAL1, policy requires AAL2' },
              { rule: 'exception-applies', detail: `exception exc-1 allows this until ${at(18)}` },
            ],
            assuranceRulesVersion: 2,
            restricted: false,
          },
        },
      ]);
  });

  it.each([
    ['no exception', []],
    ['an exception that does not allow TOTP', [exception({ allowedMethods: ['sms'] })]],
    ['an exception for another application', [exception({ scope: { applicationId: 'crm' } })]],
    ['an exception for another subject', [exception({ scope: { subjectId: 'bob' } })]],
    ['an exception that expired before the login', [exception({ expiresAt: at(9) })]],
    ['an exception requested after the login', [exception({ requestedAt: at(10) })]],
    ['an exception still awaiting approval', [exception({ status: 'requested' })]],
  ])('given %s, the same login is a violation', (_, exceptions) => {
    const verdict = verdictOn(totpLogin(at(9)), exceptions);
    expect(verdict).toMatchObject({ verdict: 'violation', reasons: [{ rule: 'aal-below-required' }] });
    expect(verdict.exception).toBeUndefined();
  });

  it('leaves a compliant login compliant, naming no exception', () => {
    const passkeyLogin: SubjectEvent = {
      type: 'assurance.authentication.succeeded',
      data: {
        channel: 'vpn',
        applicationId: 'legacy-vpn',
        methods: [{ kind: 'passkey-device-bound', authenticatorId: 'key-1', amr: ['hwk'] }],
      },
      time: at(9),
    };
    const verdict = verdictOn(passkeyLogin, [exception({ allowedMethods: ['totp', 'passkey-device-bound'] })], [enrolledPasskey]);
    expect(verdict).toMatchObject({ verdict: 'compliant', reasons: [] });
    expect(verdict.exception).toBeUndefined();
  });

  it('does not lift a denial rule: an exception lowers the AAL for its methods, nothing else', () => {
    // The default policy's `impossible-travel-denies` rule.
    const travelling = {
      ...totpLogin(at(9)),
      data: { ...totpLogin(at(9)).data, risk: { level: 'medium', signals: ['impossible-travel'] } },
    } as SubjectEvent;
    const verdict = verdictOn(travelling, [exception()]);
    expect(verdict.verdict).toBe('violation');
    expect(verdict.reasons.map((reason) => reason.rule)).toContain('access-should-have-been-denied');
  });
});

describe('an approved exception in effect on decisions', () => {
  const inForce = [exception()];

  it('given an excepted TOTP login, when access to the legacy VPN is asked, then it is allowed with the exception in its reasons and a max_age that ends at the expiry', () => {
    const answer = decision(historyWithLogin(at(9), inForce), at(9, 30), inForce);
    expect(answer).toMatchObject({
      decision: 'allow',
      requiredAal: 2,
      currentAal: 1,
      exception: { exceptionId: 'exc-1', expiresAt: at(18) },
    });
    expect(answer.reasons.slice(-2).map((reason) => reason.rule)).toEqual(['aal-below-required', 'exception-applies']);
    // RFC 9470 §3: max_age counts from the authentication at 09:00; the exception ends at 18:00.
    expect(answer.maxAge).toBe(9 * 3600);
    expect(answer.wwwAuthenticate).toBeNull();
  });

  it('allows a login made before the approval but inside the exception window: the decision judges the authentication now', () => {
    const answer = decision(historyWithLogin(at(9), []), at(9, 30), inForce);
    expect(answer).toMatchObject({ decision: 'allow', exception: { exceptionId: 'exc-1' } });
  });

  it('is a step-up again at the expiry, whatever the expiry scheduler has written yet', () => {
    const history = historyWithLogin(at(9), inForce, [enrolledTotp, enrolledPasskey]);
    expect(decision(history, at(17, 59), inForce).decision).toBe('allow');
    const after = decision(history, at(18), inForce);
    expect(after).toMatchObject({ decision: 'step-up', acceptableMethods: ['passkey-device-bound'] });
    expect(after.exception).toBeUndefined();
    expect(after.reasons.map((reason) => reason.rule)).not.toContain('exception-applies');
  });

  it('is a step-up again at once when the exception is revoked', () => {
    const history = historyWithLogin(at(9), inForce, [enrolledTotp, enrolledPasskey]);
    const revoked = [exception({ status: 'revoked' })];
    expect(decision(history, at(9, 30), revoked)).toMatchObject({ decision: 'step-up', acceptableMethods: ['passkey-device-bound'] });
  });

  it('does not reach outside its scope: another application asks for the same AAL and gets a step-up', () => {
    const otherPolicies = evolvePolicyHistory(policies, {
      type: 'assurance.policy.published',
      data: {
        version: 3,
        policy: { ...DEFAULT_POLICY, applications: { 'legacy-vpn': { requiredAal: 2 }, 'jump-host': { requiredAal: 2 } } },
        publishedAt: at(7),
      },
    });
    const history = historyWithLogin(at(9), inForce, [enrolledTotp, enrolledPasskey]);
    const state = history.reduce(subjectDecider.evolve, subjectDecider.initialState());
    const command = { ...decideAt(at(9, 30), inForce, 'jump-host'), policies: otherPolicies };
    const [decided] = subjectDecider.decide(command, state) as SubjectEvent[];
    expect((decided.data as AccessDecidedData).decision).toBe('step-up');
  });

  it('offers the exception methods for a step-up instead of denying a subject with nothing else enrolled', () => {
    const noLogin = [enrolledTotp];
    expect(decision(noLogin, at(9), [])).toMatchObject({ decision: 'deny', acceptableMethods: [] });
    const answer = decision(noLogin, at(9), inForce);
    expect(answer).toMatchObject({ decision: 'step-up', acceptableMethods: ['totp'], exception: { exceptionId: 'exc-1' } });
    // A new authentication at 09:00 may be used until the exception ends at 18:00, not beyond.
    expect(answer.maxAge).toBeLessThanOrEqual(9 * 3600);
  });
});
