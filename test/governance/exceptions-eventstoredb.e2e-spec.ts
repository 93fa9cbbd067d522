import { randomUUID } from 'node:crypto';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { eventually } from '../support/eventually';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import { TestKeyName } from '../support/test-keys';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** The same exception rules on the EventStoreDB adapter: expected revisions, stream reads and $all catch-up behave alike. */
describe('governed exceptions on the EventStoreDB store (gRPC test double)', () => {
  let double: EventStoreDbDouble;
  let ledger: RunningLedger;

  beforeAll(async () => {
    double = await startEventStoreDbDouble({ batchAppend: true });
    ledger = await startLedger({
      LEDGER_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: double.connectionString,
      LEDGER_EXCEPTION_SWEEP_INTERVAL_MS: '200',
    });
  });
  afterAll(async () => {
    await ledger?.stop();
    await double?.stop();
  });

  const call = (path: string, body: unknown, as: TestKeyName) => ledger.request('POST', path, { body, as });
  const request = (scope: Record<string, string>, expiresAt: string) =>
    call('/v1/exceptions', { scope, allowedMethods: ['totp'], justification: 'legacy VPN concentrator', expiresAt }, 'helpdesk');

  it('covers a fallback once approved, gives one winner to concurrent reviewers, and expires at the expiry time', async () => {
    const applicationId = `legacy-vpn-${randomUUID()}`;
    const subject = `u-${randomUUID()}`;
    const fallback = () => ({
      specversion: '1.0',
      id: randomUUID(),
      source: 'https://vpn.example.com',
      type: 'assurance.fallback.used',
      subject,
      time: new Date().toISOString(),
      data: { applicationId, channel: 'vpn', intendedMethod: 'security-key', usedMethod: 'totp', reason: 'key at home' },
    });
    const coverage = async (posted: any) => {
      const revision = posted.body.results[0].revision;
      return (await ledger.get(`/v1/subjects/${subject}/events?fromRevision=${revision + 1}&limit=1`)).body.events[0].data;
    };

    expect(
      await coverage(
        await ledger.request('POST', '/v1/events', { body: fallback(), contentType: 'application/cloudevents+json', as: 'emitter' }),
      ),
    ).toMatchObject({ covered: false });

    const contested = (await request({ applicationId: `${applicationId}-contested` }, inSeconds(3600))).body.exception.exceptionId;
    const [approval, rejection] = await Promise.all([
      call(`/v1/exceptions/${contested}/approve`, { note: 'until the upgrade' }, 'reviewer'),
      call(`/v1/exceptions/${contested}/reject`, { reason: 'no' }, 'admin'),
    ]);
    expect([approval.status, rejection.status].sort()).toEqual([200, 409]);

    const exceptionId = (await request({ applicationId }, inSeconds(3))).body.exception.exceptionId;
    const approved = await call(`/v1/exceptions/${exceptionId}/approve`, { note: 'until the upgrade' }, 'reviewer');
    expect(approved.status).toBe(200);
    const posted = await ledger.request('POST', '/v1/events', {
      body: fallback(),
      contentType: 'application/cloudevents+json',
      as: 'emitter',
    });
    expect(await coverage(posted)).toMatchObject({ covered: true, exceptionId });

    const expired = await eventually(
      () => ledger.get(`/v1/exceptions/${exceptionId}`),
      (response) => response.body.status === 'expired',
    );
    expect(expired.body).toMatchObject({ status: 'expired', expiredAt: approved.body.exception.expiresAt, coveredFallbacks: 1 });
  });
});
