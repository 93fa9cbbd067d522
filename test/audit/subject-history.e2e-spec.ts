import { randomUUID } from 'node:crypto';
import { authenticationSucceeded, enrolledEvent, sessionStarted } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

describe('subject history for auditors', () => {
  let ledger: RunningLedger;
  const subject = `u-${randomUUID()}`;
  const enrolled = enrolledEvent(subject, { time: '2026-03-01T08:00:00Z' });
  const logins = ['2026-03-02T08:00:00Z', '2026-03-15T08:00:00Z', '2026-04-02T08:00:00Z'].map((time) =>
    authenticationSucceeded(subject, { time }),
  );
  const session = sessionStarted(subject, { time: '2026-04-02T08:00:05Z' });

  beforeAll(async () => {
    ledger = await startLedger();
    expect((await ledger.post([enrolled, ...logins, session], 'application/cloudevents-batch+json')).status).toBe(201);
  });
  afterAll(async () => ledger?.stop());

  const history = (query = '') => ledger.get(`/v1/subjects/${subject}/history${query}`, 'auditor');

  it('lists every event with revision, position and hash, and each authentication with its verdict', async () => {
    const { status, body } = await history();
    expect(status).toBe(200);
    expect(body.events.map((event: any) => event.type)).toEqual([
      'assurance.authenticator.enrolled',
      'assurance.authentication.succeeded',
      'assurance.authentication.evaluated',
      'assurance.authentication.succeeded',
      'assurance.authentication.evaluated',
      'assurance.authentication.succeeded',
      'assurance.authentication.evaluated',
      'assurance.session.started',
    ]);
    expect(body.nextCursor).toBeNull();
    const firstLogin = body.events[1];
    expect(firstLogin).toMatchObject({
      revision: 1,
      id: logins[0].id,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      position: expect.any(Number),
    });
    expect(firstLogin.verdict).toMatchObject({
      authentication: { revision: 1, id: logins[0].id },
      policyVersion: 1,
      verdict: expect.stringMatching(/^(compliant|violation)$/),
    });
    expect(body.events[0].verdict).toBeUndefined();
  });

  it('filters by time window and by type', async () => {
    const { body } = await history('?types=assurance.authentication.succeeded&from=2026-03-10T00:00:00Z&to=2026-03-31T23:59:59Z');
    expect(body.events.map((event: any) => event.id)).toEqual([logins[1].id]);
    expect(body.events[0].verdict.authentication.id).toBe(logins[1].id);
  });

  it('pages with a cursor without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | null = '0';
    while (cursor !== null) {
      const page: any = await history(`?types=assurance.authentication.succeeded&limit=1&cursor=${cursor}`);
      seen.push(...page.body.events.map((event: any) => event.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(logins.map((login) => login.id));
  });

  it('answers 404 for an unknown subject and 400 naming the field for bad parameters', async () => {
    expect((await ledger.get(`/v1/subjects/u-${randomUUID()}/history`, 'auditor')).status).toBe(404);
    const badType = await history('?types=assurance.password.guessed');
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].field).toBe('types');
    expect((await history('?from=yesterday')).status).toBe(400);
    expect((await history('?cursor=abc')).status).toBe(400);
  });
});
