import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { CloudEventBody } from '../support/cloud-events';
import { eventually } from '../support/eventually';
import { LedgerResponse, RunningLedger, startLedger } from '../support/ledger-test-app';
import { TestKeyName } from '../support/test-keys';

const THIRTY_DAYS_SECONDS = 30 * 24 * 3600;

function fallbackUsed(subject: string, applicationId: string, usedMethod = 'totp'): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://vpn.example.com',
    type: 'assurance.fallback.used',
    subject,
    time: new Date().toISOString(),
    data: { applicationId, channel: 'vpn', intendedMethod: 'security-key', usedMethod, reason: 'security key left at home' },
  };
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('governed exceptions (e2e)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_EXCEPTION_SWEEP_INTERVAL_MS: '200' });
  });
  afterAll(async () => ledger?.stop());

  const call = (method: string, path: string, body: unknown, as: TestKeyName = 'all') => ledger.request(method, path, { body, as });
  const requestException = (body: Record<string, unknown>, as: TestKeyName = 'helpdesk') =>
    call(
      'POST',
      '/v1/exceptions',
      {
        allowedMethods: ['totp'],
        justification: 'VPN concentrator cannot do FIDO2 until its upgrade',
        expiresAt: inSeconds(3600),
        ...body,
      },
      as,
    );
  const act = (exceptionId: string, action: 'approve' | 'reject' | 'revoke', as: TestKeyName, body: Record<string, unknown> = {}) =>
    call(
      'POST',
      `/v1/exceptions/${exceptionId}/${action}`,
      action === 'approve' ? { note: 'until the upgrade', ...body } : { reason: 'not needed', ...body },
      as,
    );
  const approved = async (scope: Record<string, unknown>, expiresAt = inSeconds(3600)) => {
    const requested = await requestException({ scope, expiresAt });
    expect(requested.body).toMatchObject({ exception: { status: 'requested' } });
    const approval = await act(requested.body.exception.exceptionId, 'approve', 'reviewer');
    expect(approval.status).toBe(200);
    return approval.body.exception.exceptionId as string;
  };
  const fallbackCases = async (applicationId: string, minPosition: number): Promise<any[]> =>
    (await ledger.get(`/v1/reviews?kind=fallback&applicationId=${applicationId}&minPosition=${minPosition}`)).body.items;
  const postFallback = async (
    target: RunningLedger,
    subject: string,
    applicationId: string,
    usedMethod = 'totp',
  ): Promise<LedgerResponse> => {
    const response = await target.request('POST', '/v1/events', {
      body: fallbackUsed(subject, applicationId, usedMethod),
      contentType: 'application/cloudevents+json',
      as: 'emitter',
    });
    expect(response.status).toBe(201);
    return response;
  };
  const coverageOf = async (subject: string, revision: number) => {
    const events = await ledger.get(`/v1/subjects/${subject}/events?fromRevision=${revision + 1}&limit=1`);
    expect(events.body.events[0]).toMatchObject({ type: 'assurance.fallback.evaluated' });
    return events.body.events[0].data;
  };

  it('opens a case for an uncovered fallback, covers the next one with an approved exception, and opens cases again after the expiry', async () => {
    const applicationId = `legacy-vpn-${randomUUID()}`;
    const subject = `contractor-${randomUUID()}`;

    const first = await postFallback(ledger, subject, applicationId);
    expect(await fallbackCases(applicationId, first.body.results[0].position)).toHaveLength(1);
    expect(await coverageOf(subject, first.body.results[0].revision)).toMatchObject({ covered: false, reason: 'no-exception-in-scope' });

    const exceptionId = await approved({ applicationId }, inSeconds(4));
    const second = await postFallback(ledger, subject, applicationId);
    expect(await coverageOf(subject, second.body.results[0].revision)).toMatchObject({ covered: true, exceptionId });
    expect(await fallbackCases(applicationId, second.body.results[0].position + 1)).toHaveLength(1);
    const counted = await ledger.get(`/v1/exceptions/${exceptionId}`);
    expect(counted.body).toMatchObject({ status: 'approved', coveredFallbacks: 1 });
    const subjectView = await ledger.get(`/v1/subjects/${subject}?minPosition=${second.body.results[0].position + 1}`);
    expect(subjectView.body.recentFallbacks.map((fallback: any) => fallback.coveredBy)).toEqual([null, exceptionId]);

    const expired = await eventually(
      () => ledger.get(`/v1/exceptions/${exceptionId}`),
      (response) => response.body.status === 'expired',
      15_000,
    );
    expect(expired.body).toMatchObject({ status: 'expired', expiredAt: counted.body.expiresAt });

    const third = await postFallback(ledger, subject, applicationId);
    expect(await coverageOf(subject, third.body.results[0].revision)).toMatchObject({ covered: false });
    const cases = await fallbackCases(applicationId, third.body.results[0].position + 1);
    // The uncovered fallbacks before and after the exception are one case of two occurrences; the covered one is in neither.
    expect(cases).toHaveLength(1);
    expect(cases[0].occurrences).toBe(2);
    expect(cases[0].sources.map((source: any) => source.revision)).toEqual([
      first.body.results[0].revision,
      third.body.results[0].revision,
    ]);
    expect((await ledger.get(`/v1/exceptions/${exceptionId}`)).body.coveredFallbacks).toBe(1);
  });

  it('records the expiry at the expiry time, not when the scheduler noticed', async () => {
    const exceptionId = await approved({ subjectId: `u-${randomUUID()}` }, inSeconds(1));
    const expiresAt = (await ledger.get(`/v1/exceptions/${exceptionId}`)).body.expiresAt;
    await eventually(
      () => ledger.get(`/v1/exceptions/${exceptionId}`),
      (response) => response.body.status === 'expired',
    );
    const stored = await ledger.app.get<EventStore>(EVENT_STORE).readStream(`exception-${exceptionId}`);
    expect(stored.map((event) => event.type)).toEqual([
      'assurance.exception.requested',
      'assurance.exception.approved',
      'assurance.exception.expired',
    ]);
    expect(stored[2].metadata.time).toBe(expiresAt);
    expect(stored[2].data).toEqual({ exceptionId, expiredAt: expiresAt, previousStatus: 'approved' });
  });

  it('does not cover a method the exception does not allow, or after it was revoked', async () => {
    const applicationId = `crm-${randomUUID()}`;
    const subject = `u-${randomUUID()}`;
    const exceptionId = await approved({ applicationId, channel: 'vpn' });
    const sms = await postFallback(ledger, subject, applicationId, 'sms');
    expect(await coverageOf(subject, sms.body.results[0].revision)).toMatchObject({ covered: false, reason: 'method-not-allowed' });

    const revoked = await act(exceptionId, 'revoke', 'reviewer', { reason: 'the upgrade is done' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.exception).toMatchObject({
      status: 'revoked',
      revokedBy: 'test-reviewer',
      revocationReason: 'the upgrade is done',
    });
    const after = await postFallback(ledger, subject, applicationId);
    expect(await coverageOf(subject, after.body.results[0].revision)).toMatchObject({ covered: false, reason: 'no-exception-in-scope' });
  });

  it('covers a fallback recorded by another API process right after this one acknowledged the approval', async () => {
    const other = await startLedger({
      LEDGER_SQLITE_PATH: ledger.config.sqlitePath,
      LEDGER_READ_MODEL_PATH: join(ledger.dir, 'other-read-models.sqlite'),
    });
    try {
      const applicationId = `legacy-${randomUUID()}`;
      const subject = `u-${randomUUID()}`;
      // The other process has read the store before the approval, so only a read at decision time can see it.
      await postFallback(other, subject, applicationId);
      const exceptionId = await approved({ applicationId });
      const response = await postFallback(other, subject, applicationId);
      expect(await coverageOf(subject, response.body.results[0].revision)).toMatchObject({ covered: true, exceptionId });
    } finally {
      await other.stop({ keepFiles: true });
    }
  });

  it('records each expiry once when two API processes sweep the same store', async () => {
    const other = await startLedger({
      LEDGER_SQLITE_PATH: ledger.config.sqlitePath,
      LEDGER_READ_MODEL_PATH: join(ledger.dir, 'sweeping-read-models.sqlite'),
      LEDGER_EXCEPTION_SWEEP_INTERVAL_MS: '100',
    });
    try {
      const exceptionIds = await Promise.all([1, 2, 3].map(() => approved({ subjectId: `u-${randomUUID()}` }, inSeconds(3))));
      for (const exceptionId of exceptionIds) {
        await eventually(
          () => other.get(`/v1/exceptions/${exceptionId}`),
          (response) => response.body.status === 'expired',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const exceptionId of exceptionIds) {
        const stored = await ledger.app.get<EventStore>(EVENT_STORE).readStream(`exception-${exceptionId}`);
        expect(stored.map((event) => event.type)).toEqual([
          'assurance.exception.requested',
          'assurance.exception.approved',
          'assurance.exception.expired',
        ]);
      }
    } finally {
      await other.stop({ keepFiles: true });
    }
  });

  it('gives exactly one winner when two reviewers approve and reject the same exception at once', async () => {
    for (let round = 0; round < 5; round++) {
      const requested = await requestException({ scope: { subjectId: `u-${randomUUID()}` } });
      const exceptionId = requested.body.exception.exceptionId;
      const [approval, rejection] = await Promise.all([act(exceptionId, 'approve', 'reviewer'), act(exceptionId, 'reject', 'admin')]);
      expect([approval.status, rejection.status].sort()).toEqual([200, 409]);
      const stored = await ledger.app.get<EventStore>(EVENT_STORE).readStream(`exception-${exceptionId}`);
      expect(stored).toHaveLength(2);
      const winner = approval.status === 200 ? 'approved' : 'rejected';
      expect(stored[1].type).toBe(`assurance.exception.${winner}`);
      expect((await ledger.get(`/v1/exceptions/${exceptionId}`)).body.status).toBe(winner);
      const loser = approval.status === 409 ? approval : rejection;
      expect(['concurrent-update', 'exception-already-decided']).toContain(loser.body.code);
    }
  });

  it('gives exactly one winner when two reviewers approve at once', async () => {
    const requested = await requestException({ scope: { subjectId: `u-${randomUUID()}` } });
    const exceptionId = requested.body.exception.exceptionId;
    const answers = await Promise.all([act(exceptionId, 'approve', 'reviewer'), act(exceptionId, 'approve', 'admin')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await ledger.app.get<EventStore>(EVENT_STORE).readStream(`exception-${exceptionId}`)).toHaveLength(2);
  });

  it('refuses an expiry past the policy maximum with 400 naming the field and the maximum', async () => {
    const response = await requestException({ scope: { applicationId: 'legacy-vpn' }, expiresAt: inSeconds(THIRTY_DAYS_SECONDS + 3600) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ maxDurationSeconds: THIRTY_DAYS_SECONDS, errors: [{ field: 'expiresAt' }] });
    expect(response.body.errors[0].reason).toContain(String(THIRTY_DAYS_SECONDS));
    expect(Date.parse(response.body.latestExpiresAt)).toBeGreaterThan(Date.now());
  });

  it('refuses a request without an expiry, with an empty scope or an unknown method, storing nothing', async () => {
    const before = (await ledger.get('/v1/exceptions')).body.exceptions.length;
    const noExpiry = await call(
      'POST',
      '/v1/exceptions',
      { scope: { applicationId: 'a' }, allowedMethods: ['totp'], justification: 'a long enough reason' },
      'helpdesk',
    );
    expect(noExpiry.status).toBe(400);
    expect(noExpiry.body.errors.map((issue: any) => issue.field)).toContain('expiresAt');
    const emptyScope = await requestException({ scope: {} });
    expect(emptyScope.status).toBe(400);
    expect(emptyScope.body.errors).toEqual([expect.objectContaining({ field: 'scope' })]);
    const badMethod = await requestException({ scope: { applicationId: 'a' }, allowedMethods: ['carrier-pigeon'] });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.errors[0].field).toBe('allowedMethods');
    expect((await ledger.get('/v1/exceptions')).body.exceptions).toHaveLength(before);
  });

  it('answers a retried request with the same Idempotency-Key with the exception it created', async () => {
    const body = {
      scope: { subjectId: `u-${randomUUID()}` },
      allowedMethods: ['sms'],
      justification: 'security key is being replaced',
      expiresAt: inSeconds(3600),
    };
    const headers = { 'idempotency-key': randomUUID() };
    const first = await ledger.request('POST', '/v1/exceptions', { body, headers, as: 'helpdesk' });
    const retry = await ledger.request('POST', '/v1/exceptions', { body, headers, as: 'helpdesk' });
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body).toMatchObject({
      replayed: true,
      position: first.body.position,
      exception: { exceptionId: first.body.exception.exceptionId },
    });
    const listed = await ledger.get(`/v1/exceptions?subjectId=${body.scope.subjectId}`);
    expect(listed.body.exceptions).toHaveLength(1);
  });

  it('refuses approving your own request with 403, and acting on an unknown exception with 404', async () => {
    const requested = await requestException({ scope: { subjectId: `u-${randomUUID()}` } }, 'reviewer');
    expect(requested.body.exception.requester).toBe('test-reviewer');
    const own = await act(requested.body.exception.exceptionId, 'approve', 'reviewer');
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('approver-is-requester');
    expect((await act('no-such-exception', 'approve', 'reviewer')).status).toBe(404);
  });

  it('chains renewals and lists exceptions by status and scope', async () => {
    const applicationId = `payroll-${randomUUID()}`;
    let previous = await approved({ applicationId });
    for (let renewal = 1; renewal <= 3; renewal++) {
      const renewed = await requestException({ scope: { applicationId }, renews: previous });
      expect(renewed.status).toBe(201);
      expect(renewed.body.exception).toMatchObject({ renews: previous, renewalCount: renewal });
      const approval = await act(renewed.body.exception.exceptionId, 'approve', 'reviewer');
      expect(approval.status).toBe(200);
      previous = renewed.body.exception.exceptionId;
    }
    const forked = await requestException({
      scope: { applicationId },
      renews: (await ledger.get(`/v1/exceptions?applicationId=${applicationId}`)).body.exceptions[3].exceptionId,
    });
    expect(forked.status).toBe(409);
    const pending = await requestException({ scope: { applicationId, channel: 'web' } });

    const all = await ledger.get(`/v1/exceptions?applicationId=${applicationId}`, 'auditor');
    expect(all.status).toBe(200);
    expect(all.body.exceptions.map((exception: any) => exception.renewalCount)).toEqual([0, 3, 2, 1, 0]);
    const requestedOnly = await ledger.get(`/v1/exceptions?applicationId=${applicationId}&status=requested`, 'helpdesk');
    expect(requestedOnly.body.exceptions.map((exception: any) => exception.exceptionId)).toEqual([pending.body.exception.exceptionId]);
    const badFilter = await ledger.get('/v1/exceptions?status=forever');
    expect(badFilter.status).toBe(400);

    const posture = await ledger.get('/v1/posture', 'reviewer');
    expect(posture.body.exceptions.renewedDependencies).toContainEqual(
      expect.objectContaining({ applicationId, exceptionId: previous, renewalCount: 3, carveOutInDisguise: true }),
    );
    const queue = await ledger.get('/v1/reviews', 'reviewer');
    expect(queue.body.exceptions.pending.map((exception: any) => exception.exceptionId)).toContain(pending.body.exception.exceptionId);
  });

  it('shows a subject its active exceptions, and the review queue those expiring within 7 days', async () => {
    const subject = `u-${randomUUID()}`;
    const fallback = await postFallback(ledger, subject, 'mail');
    const exceptionId = await approved({ subjectId: subject }, inSeconds(3 * 24 * 3600));
    // The subject's document comes from the read models: wait until they hold the fallback.
    const projected = Math.max(...fallback.body.results.map((result: { position: number }) => result.position));
    const view = await ledger.get(`/v1/subjects/${subject}?minPosition=${projected}`, 'helpdesk');
    // Those naming the subject come first; exceptions for a whole application or channel apply to it too.
    expect(view.body.activeExceptions[0]).toEqual(
      expect.objectContaining({ exceptionId, status: 'approved', scope: { subjectId: subject } }),
    );
    for (const active of view.body.activeExceptions) expect([undefined, subject]).toContain(active.scope.subjectId);
    const queue = await ledger.get('/v1/reviews', 'helpdesk');
    expect(queue.body.exceptions.expiringWithin7Days.map((exception: any) => exception.exceptionId)).toContain(exceptionId);
  });
});
