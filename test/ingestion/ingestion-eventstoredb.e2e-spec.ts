import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { authenticationSucceeded, enrolledEvent, sessionStarted } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ingestion API on the EventStoreDB store (gRPC test double)', () => {
  let double: EventStoreDbDouble;
  let ledger: RunningLedger;

  beforeAll(async () => {
    double = await startEventStoreDbDouble({ batchAppend: true });
    ledger = await startLedger({ LEDGER_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString });
  });
  afterAll(async () => {
    await ledger?.stop();
    await double?.stop();
  });

  it('records a batch, answers a repeat as duplicates, and keeps the chain valid', async () => {
    const subject = `u-${randomUUID()}`;
    const batch = [enrolledEvent(subject), authenticationSucceeded(subject)];
    const first = await ledger.post(batch, BATCH);
    expect(first.status).toBe(201);
    expect(first.body.results.map((r: any) => [r.status, r.revision])).toEqual([
      ['recorded', 0],
      ['recorded', 1],
    ]);
    const again = await ledger.post(batch, BATCH);
    expect(again.status).toBe(200);
    expect(again.body.results.map((r: any) => r.position)).toEqual(first.body.results.map((r: any) => r.position));

    const stored = await ledger.get(`/v1/subjects/${subject}/events`);
    const emitted = stored.body.events.filter((e: any) => e.source !== 'assurance-ledger');
    expect(emitted.map((e: any) => e.hash)).toEqual(first.body.results.map((r: any) => r.hash));
    // The ledger's verdict on the authentication is chained right after it.
    expect(stored.body.events.map((e: any) => e.type)).toEqual([
      'assurance.authenticator.enrolled',
      'assurance.authentication.succeeded',
      'assurance.authentication.evaluated',
    ]);
    const verification = await ledger.get(`/v1/audit/verify?stream=subject-${subject}`);
    expect(verification.body).toMatchObject({ valid: true, eventsChecked: 3 });
    expect((await ledger.get('/health')).body).toMatchObject({ status: 'ok', details: { store: { status: 'up', kind: 'eventstoredb' } } });
  });

  it('gives concurrent writers to one subject contiguous revisions', async () => {
    const subject = `u-${randomUUID()}`;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 5; i++) expect((await ledger.post(sessionStarted(subject))).status).toBe(201);
      }),
    );
    const stored = await ledger.get(`/v1/subjects/${subject}/events?limit=100`);
    expect(stored.body.events.map((e: any) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await ledger.get(`/v1/audit/verify?stream=subject-${subject}`)).body.valid).toBe(true);
  });
});

describe('ingestion API when EventStoreDB is unreachable', () => {
  it('answers 503 with Retry-After instead of failing the request with a 500', async () => {
    const port = await closedPort();
    const ledger = await startLedger({
      LEDGER_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false&defaultDeadline=2000`,
    });
    try {
      const response = await ledger.post(enrolledEvent(`u-${randomUUID()}`));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await ledger.get('/health')).status).toBe(503);
    } finally {
      await ledger.stop();
    }
  });
});
