import { randomUUID } from 'node:crypto';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import { TestKeyName } from '../support/test-keys';

/**
 * Issue 16: an approved exception takes effect everywhere, through the API.
 * Alice's VPN cannot do FIDO2 yet; IAM approves TOTP on it until a date. Her
 * TOTP logins are then `excepted`, decisions allow her in, and the moment the
 * exception is revoked or expires the same request is a step-up again.
 */
describe('exceptions take effect on verdicts and decisions (e2e)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    // The expiry sweep is slow here on purpose: a decision must not wait for it to stop honouring an expired exception.
    ledger = await startLedger({ LEDGER_EXCEPTION_SWEEP_INTERVAL_MS: '60000' });
  });
  afterAll(async () => ledger?.stop());

  const call = (method: string, path: string, body: unknown, as: TestKeyName = 'all') => ledger.request(method, path, { body, as });
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const event = (subject: string, type: string, data: Record<string, unknown>) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://vpn.example.com',
    type,
    subject,
    time: new Date().toISOString(),
    data,
  });

  /** The default policy needs AAL2 on the VPN channel; a TOTP without user verification is AAL1 (SP 800-63B-4 §3.1.4). */
  const enrolAlice = async (applicationId: string) => {
    const subject = `alice-${randomUUID()}`;
    const enrolled = await ledger.post(
      [
        event(subject, 'assurance.authenticator.enrolled', {
          authenticatorId: 'totp-1',
          kind: 'totp',
          phishingResistant: false,
          hardwareBound: false,
          syncable: false,
          userVerification: false,
        }),
        event(subject, 'assurance.authenticator.enrolled', {
          authenticatorId: 'key-1',
          kind: 'passkey-device-bound',
          phishingResistant: true,
          hardwareBound: true,
          syncable: false,
          userVerification: true,
        }),
      ],
      'application/cloudevents-batch+json',
    );
    expect(enrolled.status).toBe(201);
    return { subject, applicationId };
  };
  const totpLogin = async ({ subject, applicationId }: { subject: string; applicationId: string }) => {
    const login = await ledger.post(
      event(subject, 'assurance.authentication.succeeded', {
        channel: 'vpn',
        applicationId,
        methods: [{ kind: 'totp', authenticatorId: 'totp-1', amr: ['otp'] }],
      }),
      'application/cloudevents+json',
    );
    expect(login.status).toBe(201);
    const { revision } = login.body.results[0];
    const verdict = await ledger.get(`/v1/subjects/${subject}/events?fromRevision=${revision + 1}&limit=1`);
    expect(verdict.body.events[0]).toMatchObject({ type: 'assurance.authentication.evaluated' });
    return { verdict: verdict.body.events[0].data, position: verdict.body.events[0].position as number };
  };
  const decide = async ({ subject, applicationId }: { subject: string; applicationId: string }) => {
    const answer = await call('POST', '/v1/decisions', { subjectId: subject, channel: 'vpn', applicationId, context: { signals: [] } });
    // A decision is recorded in the subject's stream: 201.
    expect(answer.status).toBe(201);
    return answer.body;
  };
  const approvedException = async (scope: Record<string, unknown>, expiresAt: string) => {
    const requested = await call(
      'POST',
      '/v1/exceptions',
      { scope, allowedMethods: ['totp'], justification: 'VPN concentrator cannot do FIDO2 until its upgrade', expiresAt },
      'helpdesk',
    );
    expect(requested.status).toBe(201);
    const exceptionId = requested.body.exception.exceptionId as string;
    const approval = await call('POST', `/v1/exceptions/${exceptionId}/approve`, { note: 'until the upgrade' }, 'reviewer');
    expect(approval.status).toBe(200);
    return { exceptionId, expiresAt: approval.body.exception.expiresAt as string };
  };

  it('turns a TOTP violation into excepted and a step-up into allow inside the exception, and back to step-up at once after revocation', async () => {
    const alice = await enrolAlice(`legacy-vpn-${randomUUID()}`);
    const before = await totpLogin(alice);
    expect(before.verdict).toMatchObject({ verdict: 'violation', requiredAal: 2, achievedAal: 1 });
    expect(await decide(alice)).toMatchObject({ decision: 'step-up', acceptableMethods: ['passkey-device-bound'] });

    const { exceptionId, expiresAt } = await approvedException(
      { subjectId: alice.subject, applicationId: alice.applicationId },
      inSeconds(3600),
    );
    const inside = await totpLogin(alice);
    expect(inside.verdict).toMatchObject({ verdict: 'excepted', exception: { exceptionId, expiresAt } });
    expect(inside.verdict.reasons.map((reason: any) => reason.rule)).toEqual(['aal-below-required', 'exception-applies']);

    const allowed = await decide(alice);
    expect(allowed).toMatchObject({ decision: 'allow', currentAal: 1, requiredAal: 2, exception: { exceptionId, expiresAt } });
    expect(allowed.reasons).toContainEqual(expect.objectContaining({ rule: 'exception-applies' }));
    // RFC 9470 §3 max_age counts from the authentication; it must not reach past the exception's expiry.
    expect(Date.now() + allowed.maxAge * 1000).toBeLessThanOrEqual(Date.parse(expiresAt) + 1000);
    expect(allowed.maxAge).toBeLessThanOrEqual(3600);

    // The authentications audit read model and the help desk's view say the same.
    const audited = await ledger.get(
      `/v1/audit/authentications?subjectId=${alice.subject}&verdict=excepted&minPosition=${inside.position}`,
    );
    expect(audited.body.items).toEqual([expect.objectContaining({ verdict: 'excepted', exception: { exceptionId, expiresAt } })]);
    const view = await ledger.get(`/v1/subjects/${alice.subject}?minPosition=${inside.position}`);
    expect(view.body.lastAuthentications).toEqual([expect.objectContaining({ channel: 'vpn', verdict: 'excepted' })]);
    expect(view.body.activeExceptions).toEqual([expect.objectContaining({ exceptionId, expiresAt })]);

    const revoked = await call('POST', `/v1/exceptions/${exceptionId}/revoke`, { reason: 'VPN upgraded' }, 'reviewer');
    expect(revoked.status).toBe(200);
    const afterRevocation = await decide(alice);
    expect(afterRevocation).toMatchObject({ decision: 'step-up', acceptableMethods: ['passkey-device-bound'] });
    expect(afterRevocation.exception).toBeUndefined();
    expect((await totpLogin(alice)).verdict).toMatchObject({ verdict: 'violation' });
  });

  it('stops allowing at the expiry itself, before the expiry sweep has written anything', async () => {
    const alice = await enrolAlice(`legacy-vpn-${randomUUID()}`);
    const { exceptionId, expiresAt } = await approvedException({ applicationId: alice.applicationId }, inSeconds(3));
    const { position } = await totpLogin(alice);
    expect(await decide(alice)).toMatchObject({ decision: 'allow', exception: { exceptionId } });
    // An exception for the whole application applies to alice too, and the help desk sees it with its end.
    const view = await ledger.get(`/v1/subjects/${alice.subject}?minPosition=${position}`, 'helpdesk');
    expect(view.body.activeExceptions).toEqual([
      expect.objectContaining({ exceptionId, expiresAt, scope: { applicationId: alice.applicationId } }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50));
    expect((await ledger.get(`/v1/exceptions/${exceptionId}`)).body.status).toBe('approved');
    expect(await decide(alice)).toMatchObject({ decision: 'step-up', acceptableMethods: ['passkey-device-bound'] });
  });

  it('counts excepted verdicts as below policy in the posture, and decisions and verdicts under exceptions per application in the evidence report', async () => {
    const alice = await enrolAlice(`legacy-vpn-${randomUUID()}`);
    await approvedException({ subjectId: alice.subject, applicationId: alice.applicationId }, inSeconds(3600));
    await totpLogin(alice);
    const { position } = await totpLogin(alice);
    await decide(alice);

    const posture = await ledger.get(`/v1/posture?minPosition=${position}`);
    const app = posture.body.applications.find((candidate: any) => candidate.applicationId === alice.applicationId);
    expect(app).toMatchObject({ violations: 2, excepted: 2, evaluated: 2 });

    const evidence = await ledger.get('/v1/audit/evidence');
    expect(evidence.status).toBe(200);
    expect(evidence.body.underExceptions.applications).toContainEqual({
      applicationId: alice.applicationId,
      exceptedVerdicts: 2,
      decisionsAllowed: 1,
      stepUpsOffered: 0,
    });
    const figure = (id: string) => evidence.body.figures.find((candidate: any) => candidate.id === id);
    expect(figure('authentications-excepted').value).toBeGreaterThanOrEqual(2);
    expect(figure('decisions-allowed-under-exception').value).toBeGreaterThanOrEqual(1);
  });
});
