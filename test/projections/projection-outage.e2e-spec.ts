import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { ProjectionRunner, SqliteReadModelStore } from '@ledger/read-models';
import { EventStoreDbDouble } from '../eventstoredb-double';
import { LedgerOnEventStoreDbDouble, startLedgerOnEventStoreDbDouble } from '../support/ledger-on-eventstoredb-double';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';
import { RunningLedger } from '../support/ledger-test-app';
import { eventually } from '../support/eventually';

const BATCH = 'application/cloudevents-batch+json';

describe('projections: EventStoreDB goes away and comes back', () => {
  let double: EventStoreDbDouble;
  let ledger: RunningLedger;

  let setup: LedgerOnEventStoreDbDouble | undefined;

  beforeAll(async () => {
    setup = await startLedgerOnEventStoreDbDouble();
    ({ double, ledger } = setup);
  });
  afterAll(() => setup?.stop());

  it('reports the outage, resubscribes from its checkpoint afterwards and applies every event once', async () => {
    const subject = `outage-${randomUUID()}`;
    const before = await ledger.post([enrolledEvent(subject), authenticationSucceeded(subject)], BATCH);
    const beforePosition = Math.max(...before.body.results.map((r: { position: number }) => r.position));
    expect((await ledger.get(`/v1/subjects/${subject}?minPosition=${beforePosition}`)).status).toBe(200);

    await double.stop();
    const during = await eventually(
      () => ledger.get('/v1/projections'),
      (response) => response.status === 200 && response.body.projections.every((p: { status: string }) => p.status !== 'live'),
    );
    expect(during.status).toBe(200);
    for (const projection of during.body.projections) {
      expect(['retrying', 'store-unavailable']).toContain(projection.status);
      expect(projection.checkpoint).toBeGreaterThanOrEqual(beforePosition);
    }
    // The read models still answer from what they hold.
    expect((await ledger.get(`/v1/subjects/${subject}`)).body.authenticators).toHaveLength(1);

    await double.restart();
    const after = await eventually(
      () => ledger.post([enrolledEvent(subject), authenticationSucceeded(subject)], BATCH),
      (response) => response.status !== 503,
    );
    expect(after.status).toBe(201);
    const afterPosition = Math.max(...after.body.results.map((r: { position: number }) => r.position));
    const read = await eventually(
      () => ledger.get(`/v1/subjects/${subject}?minPosition=${afterPosition}`),
      (response) => response.status === 200,
    );
    expect(read.body.authenticators).toHaveLength(2);

    // The ledger may append its own verdicts after the posted events: wait for the head of the store.
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const all = await store.readAll();
    const live = await ledger.get(`/v1/projections/checksums?minPosition=${all[all.length - 1].position}`);
    expect(live.status).toBe(200);
    const clean = new SqliteReadModelStore({ path: ':memory:' });
    try {
      const rebuilt = await new ProjectionRunner(store, clean).catchUp();
      expect(rebuilt.position).toBe(live.body.position);
      expect((await clean.checksums()).value).toEqual(live.body.checksums);
      const overview = await ledger.get('/v1/projections');
      expect(overview.body.projections[0]).toMatchObject({ status: 'live', eventsApplied: all.length, lastError: null });
      expect(rebuilt.eventsApplied).toBe(all.length);
    } finally {
      await clean.close();
    }
  }, 60_000);
});
