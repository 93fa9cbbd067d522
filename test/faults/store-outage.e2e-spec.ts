import { randomUUID } from 'node:crypto';
import { EventStoreDbDouble } from '../eventstoredb-double';
import { LedgerOnEventStoreDbDouble, startLedgerOnEventStoreDbDouble } from '../support/ledger-on-eventstoredb-double';
import { enrolledEvent, sessionStarted } from '../support/cloud-events';
import { RunningLedger } from '../support/ledger-test-app';
import { eventually } from '../support/eventually';

const BATCH = 'application/cloudevents-batch+json';

describe('fault: EventStoreDB goes away mid-run and comes back', () => {
  let double: EventStoreDbDouble;
  let ledger: RunningLedger;

  let setup: LedgerOnEventStoreDbDouble | undefined;

  beforeAll(async () => {
    setup = await startLedgerOnEventStoreDbDouble();
    ({ double, ledger } = setup);
  });
  afterAll(() => setup?.stop());

  it('answers 503 with Retry-After during the outage, writes nothing half-way, and recovers without a restart', async () => {
    const subject = `u-${randomUUID()}`;
    const before = await ledger.post([enrolledEvent(subject), sessionStarted(subject)], BATCH);
    expect(before.status).toBe(201);

    await double.stop();
    const duringOutage = [sessionStarted(subject), sessionStarted(subject), sessionStarted(subject)];
    const refused = await ledger.post(duringOutage, BATCH);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ code: 'store-unavailable', status: 503, type: 'urn:assurance-ledger:problem:store-unavailable' });
    expect((await ledger.get('/health')).status).toBe(503);
    // A decision is answered only once its record is durable: without a store it is refused, never answered unrecorded.
    const decision = { subjectId: subject, channel: 'web', applicationId: 'wiki', context: { signals: [] } };
    const undecided = await ledger.request('POST', '/v1/decisions', { body: decision, headers: { 'idempotency-key': 'outage-1' } });
    expect(undecided.status).toBe(503);
    expect(undecided.body).toMatchObject({ code: 'store-unavailable' });

    await double.restart();
    // The client reconnects on its own; the emitter simply retries the same batch.
    const retried = await eventually(
      () => ledger.post(duringOutage, BATCH),
      (response) => response.status !== 503,
    );
    expect(retried.status).toBe(201);
    expect(retried.body.results.map((r: any) => r.revision)).toEqual([2, 3, 4]);
    expect((await ledger.post(duringOutage, BATCH)).status).toBe(200);

    const stored = await ledger.get(`/v1/subjects/${subject}/events`);
    expect(stored.body.events.map((e: any) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    expect(stored.body.events.map((e: any) => e.type)).not.toContain('assurance.access.decided');
    expect((await ledger.get(`/v1/audit/verify?stream=subject-${subject}`)).body).toMatchObject({ valid: true, eventsChecked: 5 });
    expect((await ledger.get('/health')).status).toBe(200);
  });
});
