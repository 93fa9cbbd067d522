import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, RecordedEvent } from '@ledger/event-store';
import {
  AccessDecidedData,
  AuthenticationEvaluatedData,
  decide,
  DEFAULT_POLICY,
  evolve,
  evolvePolicyHistory,
  initialPolicyHistory,
  initialSubjectState,
  PolicyHistory,
  SubjectEvent,
  subjectStream,
} from '@ledger/domain';
import { toSubjectEvent } from '@ledger/domain/projections';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

describe('one assurance policy (e2e)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger();
  });

  afterAll(async () => {
    await ledger.stop();
  });

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(ledger.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...ledger.auth(), ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const publish = (policy: unknown, expectedVersion: number) => send('PUT', '/v1/policy', { expectedVersion, policy });
  const requestDecision = (body: unknown, headers?: Record<string, string>) => send('POST', '/v1/decisions', body, headers);
  const currentVersion = async (): Promise<number> => (await ledger.get('/v1/policy')).body.version;

  const newSubject = () => `user-${randomUUID()}`;
  const event = (subject: string, type: string, data: Record<string, unknown>, time = new Date().toISOString()) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type,
    subject,
    time,
    data,
  });
  const enrolled = (subject: string, authenticatorId: string, kind: string, properties: Record<string, boolean>) =>
    event(subject, 'assurance.authenticator.enrolled', { authenticatorId, kind, ...properties });
  const syncedPasskey = { phishingResistant: true, hardwareBound: false, syncable: true, userVerification: true };
  const securityKey = { phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true };
  const authenticated = (
    subject: string,
    channel: string,
    applicationId: string,
    kind: string,
    authenticatorId: string,
    extra: Record<string, unknown> = {},
  ) =>
    event(subject, 'assurance.authentication.succeeded', {
      channel,
      applicationId,
      methods: [{ kind, authenticatorId, amr: ['user'] }],
      ...extra,
    });
  const storedEvents = async (subject: string): Promise<any[]> =>
    (await ledger.get(`/v1/subjects/${subject}/events?limit=1000`)).body.events;

  /** Payroll is critical: AAL3 whatever the channel asks. Everything else as the built-in default. */
  const payrollPolicy = { ...DEFAULT_POLICY, applications: { payroll: { requiredAal: 3, tier: 'critical' } } };

  describe('publishing and reading the policy', () => {
    it('starts at the built-in version 1 and publishes version 2 with optimistic concurrency', async () => {
      const builtIn = await ledger.get('/v1/policy');
      expect(builtIn.status).toBe(200);
      expect(builtIn.body).toMatchObject({ version: 1, builtIn: true, effectiveFrom: null });
      expect(builtIn.body.policy.requiredAal.privileged).toBe(3);
      expect(builtIn.body.policy.sessions.aal3).toEqual({ maxLifetimeSeconds: 12 * 3600, idleTimeoutSeconds: 15 * 60 });

      const published = await publish(payrollPolicy, 1);
      expect(published.status).toBe(201);
      expect(published.body).toMatchObject({ version: 2, stream: 'policy-default', revision: 0 });

      const stale = await publish(payrollPolicy, 1);
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('policy-version-conflict');

      expect((await ledger.get('/v1/policy')).body).toMatchObject({ version: 2, builtIn: false, policy: payrollPolicy });
      expect((await ledger.get('/v1/policy/versions/1')).body).toMatchObject({ version: 1, policy: { applications: {} } });
      expect((await ledger.get('/v1/policy/versions/2')).body.policy.applications.payroll).toEqual({ requiredAal: 3, tier: 'critical' });
      expect((await ledger.get('/v1/policy/versions/3')).status).toBe(404);
      expect((await ledger.get('/v1/policy/versions/zero')).status).toBe(400);
    });

    it.each([
      [
        'an unknown channel',
        { ...DEFAULT_POLICY, requiredAal: { ...DEFAULT_POLICY.requiredAal, email: 2 } },
        'policy.requiredAal.email',
        /unknown field/,
      ],
      [
        'AAL 4',
        { ...DEFAULT_POLICY, requiredAal: { ...DEFAULT_POLICY.requiredAal, web: 4 } },
        'policy.requiredAal.web',
        /must be an AAL: 1, 2 or 3/,
      ],
      [
        'a negative lifetime',
        { ...DEFAULT_POLICY, sessions: { ...DEFAULT_POLICY.sessions, aal2: { maxLifetimeSeconds: -60, idleTimeoutSeconds: 3600 } } },
        'policy.sessions.aal2.maxLifetimeSeconds',
        /whole number of seconds/,
      ],
      [
        'an application asking AAL 0',
        { ...DEFAULT_POLICY, applications: { payroll: { requiredAal: 0 } } },
        'policy.applications.payroll.requiredAal',
        /must be an AAL/,
      ],
      [
        'a risk rule with an unknown action',
        { ...DEFAULT_POLICY, riskRules: [{ name: 'x', when: { signals: ['tor'] }, action: 'block' }] },
        'policy.riskRules[0].action',
        /must be one of: require-aal, step-up, deny/,
      ],
    ])('refuses %s with 400 naming the field, and keeps the version', async (_, policy, field, reason) => {
      const before = await currentVersion();
      const refused = await publish(policy, before);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('invalid-policy');
      expect(refused.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
      expect(await currentVersion()).toBe(before);
    });

    it('refuses a body without expectedVersion with 400 naming it', async () => {
      const refused = await send('PUT', '/v1/policy', { policy: DEFAULT_POLICY });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toContainEqual({ field: 'expectedVersion', reason: expect.any(String) });
    });
  });

  describe('a verdict on every authentication', () => {
    it('records a violation when a synced passkey reaches payroll, which policy v2 puts at AAL3', async () => {
      expect(await currentVersion()).toBeGreaterThanOrEqual(2);
      const subject = newSubject();
      const login = authenticated(subject, 'web', 'payroll', 'passkey-synced', 'phone-passkey');
      const posted = await ledger.post([enrolled(subject, 'phone-passkey', 'passkey-synced', syncedPasskey), login], BATCH);
      expect(posted.status).toBe(201);
      expect(posted.body.results.map((result: any) => result.revision)).toEqual([0, 1]);

      const [, authentication, verdict] = await storedEvents(subject);
      expect(authentication.type).toBe('assurance.authentication.succeeded');
      expect(verdict).toMatchObject({
        revision: 2,
        type: 'assurance.authentication.evaluated',
        source: 'assurance-ledger',
        id: `${login.id}#verdict`,
        time: login.time,
        schemaVersion: 1,
        correlationId: authentication.correlationId,
        data: {
          authentication: { revision: 1, id: login.id, source: login.source, time: login.time },
          verdict: 'violation',
          requiredAal: 3,
          achievedAal: 2,
          policyVersion: 2,
          phishingResistant: true,
          acr: ['phr', 'nist-aal2'],
        },
      });
      expect(verdict.data.decisionPath.map((firing: any) => firing.rule)).toEqual([
        'channel-minimum',
        'application-override',
        'aal2-multi-factor-exportable-cryptographic',
        'aal-below-required',
      ]);
      expect(verdict.data.decisionPath[1].detail).toMatch(/payroll \(tier critical\) requires AAL3/);
      expect(verdict.data.reasons).toEqual([{ rule: 'aal-below-required', detail: 'achieved AAL2, policy requires AAL3' }]);
      expect((await ledger.get(`/v1/audit/verify?stream=subject-${subject}`)).body.valid).toBe(true);
    });

    it('judges an authentication by the version in force at its time, and a revoked key does not count', async () => {
      const subject = newSubject();
      const beforeV2 = authenticated(subject, 'web', 'payroll', 'security-key', 'yubikey');
      beforeV2.time = '2020-01-01T00:00:00Z';
      await ledger.post(
        [
          enrolled(subject, 'yubikey', 'security-key', securityKey),
          beforeV2,
          event(subject, 'assurance.authenticator.revoked', { authenticatorId: 'yubikey', reason: 'lost' }),
          authenticated(subject, 'web', 'wiki', 'security-key', 'yubikey'),
        ],
        BATCH,
      );
      const verdicts = (await storedEvents(subject)).filter((stored) => stored.type === 'assurance.authentication.evaluated');
      expect(verdicts[0].data).toMatchObject({ policyVersion: 1, requiredAal: 2, achievedAal: 3, verdict: 'compliant', reasons: [] });
      expect(verdicts[1].data).toMatchObject({ achievedAal: 0, verdict: 'violation' });
      expect(verdicts[1].data.reasons).toContainEqual({ rule: 'authenticator-revoked', detail: expect.stringMatching(/yubikey/) });
    });

    it('does not write a second verdict when the same authentication is sent again', async () => {
      const subject = newSubject();
      const login = authenticated(subject, 'vpn', 'corp-vpn', 'password', 'pw');
      expect((await ledger.post(login)).status).toBe(201);
      expect((await ledger.post(login)).status).toBe(200);
      expect((await storedEvents(subject)).map((stored) => stored.type)).toEqual([
        'assurance.authentication.succeeded',
        'assurance.authentication.evaluated',
      ]);
    });

    it('refuses an emitter that claims the ledger as its source', async () => {
      const subject = newSubject();
      const forged = { ...authenticated(subject, 'web', 'wiki', 'password', 'pw'), source: 'assurance-ledger' };
      const refused = await ledger.post(forged);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ index: 0, field: 'source', reason: expect.stringMatching(/reserved/) }]);
    });
  });

  describe('step-up decisions', () => {
    const privilegedRequest = (subjectId: string, extra: Record<string, unknown> = {}) => ({
      subjectId,
      channel: 'privileged',
      applicationId: 'prod-ssh',
      context: { ipAddress: '192.0.2.7', riskLevel: 'low', signals: [] },
      ...extra,
    });

    it('denies a subject whose only authenticator cannot reach AAL3, then allows a fresh AAL3 session; both are in the trail', async () => {
      const subject = newSubject();
      await ledger.post(enrolled(subject, 'phone-passkey', 'passkey-synced', syncedPasskey));

      const denied = await requestDecision(privilegedRequest(subject));
      expect(denied.status).toBe(201);
      expect(denied.body).toMatchObject({
        decisionId: expect.any(String),
        decision: 'deny',
        requiredAal: 3,
        currentAal: 0,
        acrValues: ['nist-aal3'],
        maxAge: null,
        wwwAuthenticate: null,
        acceptableMethods: [],
        policyVersion: 2,
      });
      expect(denied.body.reasons).toContainEqual({ rule: 'no-enrolled-method-meets-aal', detail: expect.any(String) });

      await ledger.post(
        [
          enrolled(subject, 'yubikey', 'security-key', securityKey),
          authenticated(subject, 'privileged', 'prod-ssh', 'security-key', 'yubikey', { sessionId: 'sess-1' }),
          event(subject, 'assurance.session.started', { sessionId: 'sess-1', channel: 'privileged', applicationId: 'prod-ssh' }),
        ],
        BATCH,
      );
      const allowed = await requestDecision(privilegedRequest(subject, { sessionId: 'sess-1' }));
      expect(allowed.status).toBe(201);
      expect(allowed.body).toMatchObject({
        decision: 'allow',
        requiredAal: 3,
        currentAal: 3,
        acrValues: ['nist-aal3'],
        maxAge: 12 * 3600,
      });
      expect(allowed.body.acceptableMethods).toEqual(['security-key']);
      const authenticatedAt = Date.parse(allowed.body.session.authenticatedAt);
      expect(allowed.body.session).toMatchObject({ sessionId: 'sess-1', aal: 3, policyVersion: 2 });
      expect(Date.parse(allowed.body.session.expiresAt) - authenticatedAt).toBe(12 * 3600 * 1000);
      // Idle time counts from the session's start, a few milliseconds after the authentication.
      const idleAfterAuthentication = Date.parse(allowed.body.session.idleExpiresAt) - authenticatedAt;
      expect(idleAfterAuthentication).toBeGreaterThanOrEqual(15 * 60 * 1000);
      expect(idleAfterAuthentication).toBeLessThan(15 * 60 * 1000 + 60_000);
      expect(allowed.body.reasons.map((reason: any) => reason.rule)).toEqual(['channel-minimum', 'current-session', 'aal-met']);

      const decisions = (await storedEvents(subject)).filter((stored) => stored.type === 'assurance.access.decided');
      expect(decisions.map((stored) => [stored.id, stored.data.decision])).toEqual([
        [denied.body.decisionId, 'deny'],
        [allowed.body.decisionId, 'allow'],
      ]);
      expect(decisions[0]).toMatchObject({ source: 'assurance-ledger', revision: denied.body.revision, position: denied.body.position });
    });

    it('asks a subject with an AAL2 session to step up, offering only the enrolled methods that reach AAL3', async () => {
      const subject = newSubject();
      await ledger.post(
        [
          enrolled(subject, 'phone-passkey', 'passkey-synced', syncedPasskey),
          enrolled(subject, 'yubikey', 'security-key', securityKey),
          enrolled(subject, 'sms-1', 'sms', { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false }),
          authenticated(subject, 'privileged', 'prod-ssh', 'passkey-synced', 'phone-passkey', { sessionId: 'sess-2' }),
          event(subject, 'assurance.session.started', { sessionId: 'sess-2', channel: 'privileged', applicationId: 'prod-ssh' }),
        ],
        BATCH,
      );
      const answer = await requestDecision(privilegedRequest(subject, { sessionId: 'sess-2' }));
      expect(answer.body).toMatchObject({
        decision: 'step-up',
        requiredAal: 3,
        currentAal: 2,
        // RFC 9470 §3: only values that meet AAL3, strongest first, and the challenge a resource server sends.
        acrValues: ['nist-aal3'],
        maxAge: 12 * 3600,
        wwwAuthenticate:
          'Bearer error="insufficient_user_authentication", error_description="Authentication at AAL3 is required", acr_values="nist-aal3", max_age=43200',
        assuranceRulesVersion: 2,
      });
      expect(answer.body.acceptableMethods).toEqual(['security-key']);
      expect(answer.body.reasons).toContainEqual({ rule: 'aal-below-required', detail: 'current AAL2, policy requires AAL3' });
    });

    it('denies on impossible travel and steps up on a device it has never seen', async () => {
      const subject = newSubject();
      await ledger.post(
        [enrolled(subject, 'yubikey', 'security-key', securityKey), authenticated(subject, 'web', 'wiki', 'security-key', 'yubikey')],
        BATCH,
      );
      const web = { subjectId: subject, channel: 'web', applicationId: 'wiki' };
      const travelling = await requestDecision({ ...web, context: { signals: ['impossible-travel'] } });
      expect(travelling.body).toMatchObject({
        decision: 'deny',
        reasons: expect.arrayContaining([expect.objectContaining({ rule: 'impossible-travel-denies' })]),
      });
      const newDevice = await requestDecision({ ...web, context: { deviceId: 'kiosk-9', signals: [] } });
      expect(newDevice.body).toMatchObject({ decision: 'step-up', currentAal: 3, maxAge: 0 });
      expect(newDevice.body.reasons.map((reason: any) => reason.rule)).toContain('new-or-unmanaged-device-steps-up');
      const known = await requestDecision({ ...web, context: { signals: [] } });
      expect(known.body).toMatchObject({ decision: 'allow', currentAal: 3, requiredAal: 2 });
    });

    it('answers step-up when the session has been revoked', async () => {
      const subject = newSubject();
      const session = { sessionId: 'sess-3', channel: 'privileged', applicationId: 'prod-ssh' };
      await ledger.post(
        [
          enrolled(subject, 'yubikey', 'security-key', securityKey),
          authenticated(subject, 'privileged', 'prod-ssh', 'security-key', 'yubikey', { sessionId: 'sess-3' }),
          event(subject, 'assurance.session.started', session),
          event(subject, 'assurance.session.revoked', { ...session, reason: 'admin revoked' }),
        ],
        BATCH,
      );
      const answer = await requestDecision(privilegedRequest(subject, { sessionId: 'sess-3' }));
      expect(answer.body).toMatchObject({ decision: 'step-up', currentAal: 0, acceptableMethods: ['security-key'] });
      expect(answer.body.reasons).toContainEqual({ rule: 'session-not-active', detail: expect.any(String) });
    });

    it('returns the recorded decision when the Idempotency-Key repeats', async () => {
      const subject = newSubject();
      await ledger.post(enrolled(subject, 'yubikey', 'security-key', securityKey));
      const first = await requestDecision(privilegedRequest(subject), { 'idempotency-key': 'retry-me' });
      const again = await requestDecision(privilegedRequest(subject), { 'idempotency-key': 'retry-me' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        decisionId: first.body.decisionId,
        decidedAt: first.body.decidedAt,
        position: first.body.position,
        replayed: true,
      });
      expect((await storedEvents(subject)).filter((stored) => stored.type === 'assurance.access.decided')).toHaveLength(1);
    });

    it('keeps one valid chain when decisions and authentications for one subject arrive concurrently', async () => {
      const subject = newSubject();
      await ledger.post(enrolled(subject, 'yubikey', 'security-key', securityKey));
      const writes = Array.from({ length: 10 }, (_, i) => [
        ledger.post(authenticated(subject, 'privileged', 'prod-ssh', 'security-key', 'yubikey', { sessionId: `s-${i}` })),
        requestDecision(privilegedRequest(subject)),
      ]).flat();
      const answers = await Promise.all(writes);
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
      const types = (await storedEvents(subject)).map((stored) => stored.type);
      expect(types.filter((type) => type === 'assurance.authentication.evaluated')).toHaveLength(10);
      expect(types.filter((type) => type === 'assurance.access.decided')).toHaveLength(10);
      types.forEach((type, index) => {
        if (type === 'assurance.authentication.evaluated') expect(types[index - 1]).toBe('assurance.authentication.succeeded');
      });
      expect((await ledger.get(`/v1/audit/verify?stream=subject-${subject}`)).body).toMatchObject({ valid: true, eventsChecked: 31 });
    });

    it.each([
      [{ channel: 'email' }, 'channel'],
      [{ subjectId: 'bad subject' }, 'subjectId'],
      [{ context: { riskLevel: 'extreme', signals: [] } }, 'context.riskLevel'],
      [{ context: { signals: 'tor' } }, 'context.signals'],
      [{ context: { ipAddress: 'nowhere', signals: [] } }, 'context.ipAddress'],
    ])('refuses %o with 400 naming %s', async (override, field) => {
      const refused = await requestDecision({ ...privilegedRequest('someone'), ...override });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toContainEqual({ field, reason: expect.any(String) });
    });
  });

  describe('determinism', () => {
    it('rebuilds every stored verdict and decision exactly from the stored events and policy versions', async () => {
      const store = ledger.app.get<EventStore>(EVENT_STORE);
      const all = await store.readAll({ maxCount: 100_000 });
      let policies: PolicyHistory = initialPolicyHistory();
      for (const stored of all.filter((candidate) => candidate.streamId === 'policy-default')) {
        policies = evolvePolicyHistory(policies, { type: 'assurance.policy.published', data: stored.data as never });
      }
      const byStream = new Map<string, RecordedEvent[]>();
      for (const stored of all)
        if (stored.streamId.startsWith('subject-')) byStream.set(stored.streamId, [...(byStream.get(stored.streamId) ?? []), stored]);

      let verdictsChecked = 0;
      let decisionsChecked = 0;
      for (const events of byStream.values()) {
        let state = initialSubjectState();
        for (const [index, stored] of events.entries()) {
          const replayed = toSubjectEvent(stored)!;
          if (replayed.type === 'assurance.authentication.succeeded') {
            const rebuilt = decide(
              {
                type: 'RecordSubjectEvent',
                event: replayed,
                evaluation: {
                  policies,
                  id: String(stored.metadata.cloudEventId),
                  source: String(stored.metadata.source),
                  revision: stored.revision,
                  recordedAt: String(stored.metadata.recordedAt),
                },
              },
              state,
            );
            expect(rebuilt[1].data).toEqual(events[index + 1].data as unknown as AuthenticationEvaluatedData);
            verdictsChecked++;
          }
          if (replayed.type === 'assurance.access.decided') {
            const { decisionId, decidedAt, applicationId, channel, sessionId, context } = replayed.data;
            const [rebuilt] = decide(
              {
                type: 'DecideSubjectAccess',
                request: { applicationId, channel, context, ...(sessionId && { sessionId }) },
                policies,
                now: decidedAt,
                decisionId,
              },
              state,
            );
            expect(rebuilt.data).toEqual(stored.data as unknown as AccessDecidedData);
            decisionsChecked++;
          }
          state = evolve(state, replayed as SubjectEvent);
        }
      }
      expect(verdictsChecked).toBeGreaterThanOrEqual(8);
      expect(decisionsChecked).toBeGreaterThanOrEqual(8);
      expect(byStream.has(subjectStream('someone'))).toBe(false);
    });
  });
});
