import {
  AccessDecidedData,
  AccessRequest,
  AuthenticationEvaluatedData,
  DEFAULT_POLICY,
  evolvePolicyHistory,
  initialPolicyHistory,
  PolicyHistory,
  subjectDecider,
  SubjectEvent,
  SubjectRuleViolation,
} from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

const given = (history: SubjectEvent[]) => DeciderSpecification.for(subjectDecider).given(history);
const at = (hours: number, minutes = 0) => new Date(Date.UTC(2026, 5, 1, hours, minutes)).toISOString();

const defaultOnly: PolicyHistory = initialPolicyHistory();
/** Version 2, from 06:00: payroll needs AAL3. */
const withPayroll: PolicyHistory = evolvePolicyHistory(defaultOnly, {
  type: 'assurance.policy.published',
  data: { version: 2, policy: { ...DEFAULT_POLICY, applications: { payroll: { requiredAal: 3 } } }, publishedAt: at(6) },
});

const keys = {
  'device-passkey': { kind: 'passkey-device-bound', phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
  'synced-passkey': { kind: 'passkey-synced', phishingResistant: true, hardwareBound: false, syncable: true, userVerification: true },
  totp: { kind: 'totp', phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
} as const;
type KeyId = keyof typeof keys;

const enrolled = (authenticatorId: KeyId, time = at(1)): SubjectEvent => ({
  type: 'assurance.authenticator.enrolled',
  data: { authenticatorId, ...keys[authenticatorId] },
  time,
});
const authenticated = (
  authenticatorId: KeyId | 'ghost',
  time: string,
  extra: Partial<{
    channel: 'web' | 'privileged';
    applicationId: string;
    sessionId: string;
    deviceId: string;
    risk: { level: 'low' | 'medium' | 'high'; signals: string[] };
  }> = {},
): SubjectEvent & { type: 'assurance.authentication.succeeded' } => ({
  type: 'assurance.authentication.succeeded',
  data: {
    channel: 'web',
    applicationId: 'wiki',
    methods: [{ kind: authenticatorId === 'ghost' ? 'security-key' : keys[authenticatorId].kind, authenticatorId, amr: [] }],
    ...extra,
  },
  time,
});
const record = (event: SubjectEvent, policies = withPayroll, recordedAt = event.time!) => ({
  type: 'RecordSubjectEvent' as const,
  event: { ...event, revision: 7 },
  evaluation: { policies, id: 'login-1', source: 'https://idp.example.com', revision: 7, recordedAt },
});
const verdictOn = (event: SubjectEvent, verdict: Omit<AuthenticationEvaluatedData, 'authentication'>): SubjectEvent[] => [
  { ...event, revision: 7 },
  {
    type: 'assurance.authentication.evaluated',
    data: { authentication: { revision: 7, id: 'login-1', source: 'https://idp.example.com', time: event.time! }, ...verdict },
    time: event.time,
  },
];

describe('a verdict on every recorded authentication', () => {
  it('given a device-bound passkey, when it signs in to the wiki, then the verdict is compliant at AAL3', () => {
    const login = authenticated('device-passkey', at(9));
    given([enrolled('device-passkey')])
      .when(record(login))
      .then(
        verdictOn(login, {
          applicationId: 'wiki',
          channel: 'web',
          requiredAal: 2,
          achievedAal: 3,
          phishingResistant: true,
          amr: ['hwk', 'mfa', 'user'],
          acr: ['phrh', 'nist-aal3'],
          verdict: 'compliant',
          reasons: [],
          policyVersion: 2,
          decisionPath: [
            { rule: 'channel-minimum', detail: 'channel web requires AAL2' },
            { rule: 'aal3-multi-factor-cryptographic-device', detail: 'achieved AAL3 from passkey-device-bound' },
            { rule: 'aal-met', detail: 'AAL3 meets AAL2' },
          ],
          assuranceRulesVersion: 2,
          restricted: false,
        }),
      );
  });

  it('given a synced passkey, when it reaches payroll under version 2, then the verdict is a violation naming the override', () => {
    const login = authenticated('synced-passkey', at(9), { applicationId: 'payroll', sessionId: 's1' });
    given([enrolled('synced-passkey')])
      .when(record(login))
      .then(
        verdictOn(login, {
          applicationId: 'payroll',
          channel: 'web',
          sessionId: 's1',
          requiredAal: 3,
          achievedAal: 2,
          phishingResistant: true,
          amr: ['mfa', 'swk', 'user'],
          acr: ['phr', 'nist-aal2'],
          verdict: 'violation',
          reasons: [{ rule: 'aal-below-required', detail: 'achieved AAL2, policy requires AAL3' }],
          policyVersion: 2,
          decisionPath: [
            { rule: 'channel-minimum', detail: 'channel web requires AAL2' },
            { rule: 'application-override', detail: 'application payroll requires AAL3' },
            { rule: 'aal2-multi-factor-exportable-cryptographic', detail: 'achieved AAL2 from passkey-synced' },
            { rule: 'aal-below-required', detail: 'achieved AAL2, policy requires AAL3' },
          ],
          assuranceRulesVersion: 2,
          restricted: false,
        }),
      );
  });

  it('given the same login before version 2 took effect, then version 1 judges it compliant', () => {
    const login = authenticated('synced-passkey', at(5), { applicationId: 'payroll' });
    const [, verdict] = subjectDecider.decide(
      record(login),
      subjectDecider.evolve(subjectDecider.initialState(), enrolled('synced-passkey')),
    ) as SubjectEvent[];
    expect(verdict.data).toMatchObject({ policyVersion: 1, requiredAal: 2, verdict: 'compliant' });
  });

  it('given a future-dated login, then it is judged by the version in force when it was recorded', () => {
    const login = authenticated('synced-passkey', at(23), { applicationId: 'payroll' });
    const [, verdict] = subjectDecider.decide(record(login, withPayroll, at(5)), subjectDecider.initialState()) as SubjectEvent[];
    expect(verdict.data).toMatchObject({ policyVersion: 1 });
  });

  it('given nothing enrolled, when a login names an authenticator, then the verdict says it did not count', () => {
    const [, verdict] = subjectDecider.decide(record(authenticated('ghost', at(9))), subjectDecider.initialState()) as SubjectEvent[];
    expect(verdict.data).toMatchObject({ achievedAal: 0, verdict: 'violation' });
    expect((verdict.data as AuthenticationEvaluatedData).reasons.map((reason) => reason.rule)).toEqual([
      'aal-below-required',
      'authenticator-not-enrolled',
    ]);
  });

  it('given high risk, then AAL3 is required; given impossible travel, then a success is a violation', () => {
    const state = subjectDecider.evolve(subjectDecider.initialState(), enrolled('synced-passkey'));
    const verdictFor = (risk: { level: 'low' | 'high'; signals: string[] }) =>
      (subjectDecider.decide(record(authenticated('synced-passkey', at(9), { risk })), state) as SubjectEvent[])[1]
        .data as AuthenticationEvaluatedData;
    expect(verdictFor({ level: 'high', signals: [] })).toMatchObject({ requiredAal: 3, verdict: 'violation' });
    const travel = verdictFor({ level: 'low', signals: ['impossible-travel'] });
    expect(travel.reasons).toEqual([
      { rule: 'access-should-have-been-denied', detail: 'impossible-travel-denies denies this access, yet the authentication succeeded' },
    ]);
  });

  it('given a new device, then the step-up rule is in the path but the login itself satisfies it', () => {
    const state = subjectDecider.evolve(subjectDecider.initialState(), enrolled('device-passkey'));
    const [, verdict] = subjectDecider.decide(
      record(authenticated('device-passkey', at(9), { deviceId: 'kiosk' })),
      state,
    ) as SubjectEvent[];
    expect(verdict.data).toMatchObject({ verdict: 'compliant' });
    expect((verdict.data as AuthenticationEvaluatedData).decisionPath[1].rule).toBe('new-or-unmanaged-device-steps-up');
  });

  it('given no evaluation context, then only the authentication is recorded', () => {
    const login = authenticated('device-passkey', at(9));
    given([]).when({ type: 'RecordSubjectEvent', event: login }).then([login]);
  });

  it('refuses a ledger event offered for recording from outside', () => {
    const forged: SubjectEvent = { type: 'assurance.authentication.evaluated', data: {} as AuthenticationEvaluatedData };
    given([])
      .when({ type: 'RecordSubjectEvent', event: forged })
      .thenThrows(SubjectRuleViolation, (error) => error.code === 'ledger-event-not-recordable');
  });
});

describe('step-up decisions', () => {
  const privileged: AccessRequest = { channel: 'privileged', applicationId: 'prod-ssh', sessionId: 's1', context: { signals: [] } };
  const evaluatedLogin = (
    authenticatorId: KeyId,
    time: string,
    sessionId = 's1',
    channel: 'web' | 'privileged' = 'privileged',
  ): SubjectEvent[] => {
    const login = authenticated(authenticatorId, time, { channel, applicationId: 'prod-ssh', sessionId });
    const state = [enrolled('device-passkey'), enrolled('synced-passkey')].reduce(subjectDecider.evolve, subjectDecider.initialState());
    return subjectDecider.decide(record(login, defaultOnly), state) as SubjectEvent[];
  };
  const sessionStarted = (time: string, sessionId = 's1', channel: 'web' | 'privileged' = 'privileged'): SubjectEvent => ({
    type: 'assurance.session.started',
    data: { sessionId, channel, applicationId: 'prod-ssh' },
    time,
  });
  const history = (...events: SubjectEvent[][]) => [enrolled('device-passkey'), enrolled('synced-passkey'), ...events.flat()];
  const decideAt = (now: string, request: AccessRequest = privileged) => ({
    type: 'DecideSubjectAccess' as const,
    request,
    policies: defaultOnly,
    now,
    decisionId: 'decision-1',
  });
  const decision = (events: SubjectEvent[], now: string, request?: AccessRequest): AccessDecidedData => {
    const state = events.reduce(subjectDecider.evolve, subjectDecider.initialState());
    return (subjectDecider.decide(decideAt(now, request), state) as SubjectEvent[])[0].data as AccessDecidedData;
  };

  it('given a fresh AAL3 session, when privileged access is asked, then it is allowed and recorded with its reasons', () => {
    given(history(evaluatedLogin('device-passkey', at(9)), [sessionStarted(at(9))]))
      .when(decideAt(at(9, 5)))
      .then([
        {
          type: 'assurance.access.decided',
          time: at(9, 5),
          data: {
            decisionId: 'decision-1',
            applicationId: 'prod-ssh',
            channel: 'privileged',
            sessionId: 's1',
            context: { signals: [] },
            decision: 'allow',
            requiredAal: 3,
            currentAal: 3,
            // RFC 9470 §3: any one value satisfies the request, so only values that meet AAL3.
            acrValues: ['nist-aal3'],
            maxAge: 43_200,
            wwwAuthenticate: null,
            acceptableMethods: ['passkey-device-bound'],
            reasons: [
              { rule: 'channel-minimum', detail: 'channel privileged requires AAL3' },
              { rule: 'current-session', detail: 'session s1 holds AAL3 within its limits' },
              { rule: 'aal-met', detail: 'current AAL3 meets AAL3' },
            ],
            policyVersion: 1,
            decidedAt: at(9, 5),
            session: { sessionId: 's1', aal: 3, authenticatedAt: at(9), expiresAt: at(21), idleExpiresAt: at(9, 15), policyVersion: 1 },
            assuranceRulesVersion: 2,
          },
        },
      ]);
  });

  it('given an AAL3 session idle for 16 minutes, then step-up naming the idle limit, with a max_age the stale authentication does not meet (RFC 9470 §3)', () => {
    const answer = decision(history(evaluatedLogin('device-passkey', at(9)), [sessionStarted(at(9))]), at(9, 16));
    expect(answer).toMatchObject({ decision: 'step-up', currentAal: 0, maxAge: 959, acceptableMethods: ['passkey-device-bound'] });
    expect(answer.wwwAuthenticate).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A new authentication at AAL3 is required", acr_values="nist-aal3", max_age=959',
    );
    expect(answer.reasons.map((reason) => reason.rule)).toEqual(['channel-minimum', 'session-idle-timeout-exceeded', 'aal-below-required']);
    expect(answer.session).toMatchObject({ expiresAt: at(21), idleExpiresAt: at(9, 15) });
  });

  it('given allowed access every 10 minutes, then the idle clock restarts but the 12-hour lifetime still ends the session', () => {
    let events = history(evaluatedLogin('device-passkey', at(9)), [sessionStarted(at(9))]);
    for (let minutes = 10; minutes <= 12 * 60; minutes += 10) {
      const now = new Date(Date.parse(at(9)) + minutes * 60_000).toISOString();
      const answer = decision(events, now);
      expect(answer.decision).toBe('allow');
      events = [...events, { type: 'assurance.access.decided', data: answer, time: now }];
    }
    const late = decision(events, at(21, 5));
    expect(late).toMatchObject({ decision: 'step-up' });
    expect(late.reasons[1].rule).toBe('session-lifetime-exceeded');
  });

  it('given an emitter expiry earlier than the policy allows, then the earlier one ends the session', () => {
    const started: SubjectEvent = {
      type: 'assurance.session.started',
      data: { sessionId: 's1', channel: 'privileged', applicationId: 'prod-ssh', expiresAt: at(9, 5) },
      time: at(9),
    };
    const answer = decision(history(evaluatedLogin('device-passkey', at(9)), [started]), at(9, 6));
    expect(answer).toMatchObject({ decision: 'step-up', session: { expiresAt: at(9, 5) } });
    expect(answer.reasons[1].rule).toBe('session-expired');
  });

  it('given a web AAL2 session of 2 hours with no activity, then the 1-hour AAL2 idle limit has passed', () => {
    const web: AccessRequest = { channel: 'web', applicationId: 'wiki', sessionId: 'w1', context: { signals: [] } };
    const answer = decision(
      history(evaluatedLogin('synced-passkey', at(9), 'w1', 'web'), [sessionStarted(at(9), 'w1', 'web')]),
      at(11),
      web,
    );
    expect(answer.reasons[1]).toEqual({ rule: 'session-idle-timeout-exceeded', detail: expect.stringMatching(/allows 3600 s at AAL2/) });
  });

  it('given an AAL3 authentication without a session, then the most recent one on the channel counts within its limits', () => {
    const request: AccessRequest = { channel: 'privileged', applicationId: 'prod-ssh', context: { signals: [] } };
    const events = history(evaluatedLogin('device-passkey', at(9)));
    expect(decision(events, at(9, 10), request)).toMatchObject({ decision: 'allow', currentAal: 3 });
    expect(decision(events, at(9, 20), request).reasons[1].rule).toBe('session-idle-timeout-exceeded');
  });

  it('given an AAL2 session on the privileged channel, then step-up offering only what reaches AAL3', () => {
    const answer = decision(history(evaluatedLogin('synced-passkey', at(9)), [sessionStarted(at(9))]), at(9, 1));
    expect(answer).toMatchObject({ decision: 'step-up', currentAal: 2, requiredAal: 3, acceptableMethods: ['passkey-device-bound'] });
  });

  it('given only a synced passkey, then privileged access is denied: nothing enrolled can reach AAL3', () => {
    const answer = decision([enrolled('synced-passkey')], at(9), { ...privileged, sessionId: undefined });
    expect(answer).toMatchObject({
      decision: 'deny',
      maxAge: null,
      acceptableMethods: [],
      acrValues: ['nist-aal3'],
      wwwAuthenticate: null,
    });
    expect(answer.reasons.at(-1)?.rule).toBe('no-enrolled-method-meets-aal');
  });

  it('given only TOTP, then web access steps up only if the policy accepts it as a fallback', () => {
    const web: AccessRequest = { channel: 'web', applicationId: 'wiki', context: { signals: [] } };
    const password: SubjectEvent = {
      type: 'assurance.authenticator.enrolled',
      data: {
        authenticatorId: 'pw',
        kind: 'password',
        phishingResistant: false,
        hardwareBound: false,
        syncable: false,
        userVerification: false,
      },
    };
    expect(decision([enrolled('totp'), password], at(9), web)).toMatchObject({
      decision: 'step-up',
      acceptableMethods: ['password', 'totp'],
    });
    const strict = evolvePolicyHistory(defaultOnly, {
      type: 'assurance.policy.published',
      data: { version: 2, policy: { ...DEFAULT_POLICY, fallback: { acceptableMethods: ['password'] } }, publishedAt: at(0) },
    });
    const state = [enrolled('totp'), password].reduce(subjectDecider.evolve, subjectDecider.initialState());
    const [strictAnswer] = subjectDecider.decide({ ...decideAt(at(9), web), policies: strict }, state) as SubjectEvent[];
    expect(strictAnswer.data).toMatchObject({ decision: 'deny', policyVersion: 2 });
  });
});
