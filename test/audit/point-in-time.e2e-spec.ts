import { randomUUID } from 'node:crypto';
import { enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

describe('point-in-time subject state', () => {
  let ledger: RunningLedger;
  beforeAll(async () => (ledger = await startLedger()));
  afterAll(async () => ledger?.stop());

  const activeAt = async (subject: string, query: string) => {
    const response = await ledger.get(`/v1/subjects/${subject}/state?${query}`, 'auditor');
    expect(response.status).toBe(200);
    return response.body.authenticators
      .filter((a: any) => a.status === 'active')
      .map((a: any) => a.authenticatorId)
      .sort();
  };

  it('shows exactly the authenticators active at each moment, replayed from the stream', async () => {
    const subject = `u-${randomUUID()}`;
    const sms = enrolledEvent(subject, {
      time: '2026-01-10T09:00:00Z',
      data: {
        authenticatorId: 'phone-sms',
        kind: 'sms',
        phishingResistant: false,
        hardwareBound: false,
        syncable: false,
        userVerification: false,
      },
    });
    const key = enrolledEvent(subject, { time: '2026-02-10T09:00:00Z' });
    const revoke = {
      ...enrolledEvent(subject, { time: '2026-03-10T09:00:00Z' }),
      type: 'assurance.authenticator.revoked',
      data: { authenticatorId: 'phone-sms', reason: 'replaced by a security key' },
    };
    const written: number[] = [];
    for (const event of [sms, key, revoke]) written.push((await ledger.post(event)).body.results[0].position);

    expect(await activeAt(subject, 'asOf=2026-01-31T00:00:00Z')).toEqual(['phone-sms']);
    expect(await activeAt(subject, 'asOf=2026-02-28T00:00:00Z')).toEqual([String(key.data.authenticatorId), 'phone-sms'].sort());
    expect(await activeAt(subject, 'asOf=2026-03-31T00:00:00Z')).toEqual([String(key.data.authenticatorId)]);
    expect(await activeAt(subject, `atPosition=${written[1]}`)).toEqual([String(key.data.authenticatorId), 'phone-sms'].sort());

    // Every authenticator ever bound stays listed, with its revocation.
    const end = await ledger.get(`/v1/subjects/${subject}/state?asOf=2026-03-31T00:00:00Z`, 'auditor');
    expect(end.body.authenticators.find((a: any) => a.authenticatorId === 'phone-sms')).toMatchObject({ status: 'revoked' });
    expect(end.body.summary).toMatchObject({ passwordless: true, phishingResistantCapable: true });

    // The replay renders the same view as the live read model once it has caught up.
    const live = await ledger.get(`/v1/subjects/${subject}?minPosition=${written[2]}`, 'auditor');
    expect(live.body.authenticators).toEqual(end.body.authenticators);
    expect(live.body.summary).toEqual(end.body.summary);
  });

  it('answers 404 before the first event and 400 without exactly one bound', async () => {
    const subject = `u-${randomUUID()}`;
    await ledger.post(enrolledEvent(subject, { time: '2026-05-01T00:00:00Z' }));
    expect((await ledger.get(`/v1/subjects/${subject}/state?asOf=2026-04-01T00:00:00Z`, 'auditor')).status).toBe(404);
    expect((await ledger.get(`/v1/subjects/${subject}/state`, 'auditor')).status).toBe(400);
    expect((await ledger.get(`/v1/subjects/${subject}/state?asOf=2026-06-01T00:00:00Z&atPosition=3`, 'auditor')).status).toBe(400);
    expect((await ledger.get(`/v1/subjects/${subject}/state?asOf=2026-02-30T00:00:00Z`, 'auditor')).status).toBe(400);
  });
});
