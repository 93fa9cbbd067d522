import { randomUUID } from 'node:crypto';
import { EventStoreDbDouble } from '../eventstoredb-double';
import { LedgerOnEventStoreDbDouble, startLedgerOnEventStoreDbDouble } from '../support/ledger-on-eventstoredb-double';
import { enrolledEvent, sessionStarted } from '../support/cloud-events';
import { eventually } from '../support/eventually';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

describe('health: /health/ready follows the EventStoreDB connection', () => {
  let double: EventStoreDbDouble;
  let ledger: RunningLedger;

  let setup: LedgerOnEventStoreDbDouble | undefined;

  beforeAll(async () => {
    setup = await startLedgerOnEventStoreDbDouble();
    ({ double, ledger } = setup);
  });
  afterAll(() => setup?.stop());

  it('is ready while the store answers, not ready (503, problem details naming the store) while it is down, and ready again after', async () => {
    await ledger.post(enrolledEvent(`u-${randomUUID()}`));
    const ready = await ledger.get('/health/ready', null);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: { store: { status: 'up', kind: 'eventstoredb' }, projections: { status: 'up' } },
    });

    await double.stop();
    const down = await ledger.get('/health/ready', null);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(down.body).toMatchObject({ code: 'not-ready', status: 503, checks: { store: { status: 'down', kind: 'eventstoredb' } } });
    expect(down.body.detail).toMatch(/store/);
    // Liveness is about the process, which is fine: an orchestrator must not restart it for a store outage.
    expect((await ledger.get('/health/live', null)).status).toBe(200);

    await double.restart();
    const back = await eventually(
      () => ledger.get('/health/ready', null),
      (response) => response.status === 200,
    );
    expect(back.status).toBe(200);
  });
});

describe('health: /health/ready follows the projection lag', () => {
  it('turns not ready when the read models fall further behind than the threshold', async () => {
    // An `api` process projects nothing itself: with no projector running, every event it writes stays behind.
    const strict = await startLedger({ LEDGER_ROLE: 'api', LEDGER_READY_MAX_PROJECTION_LAG_SECONDS: '1' });
    try {
      expect((await strict.get('/health/ready', null)).status).toBe(200);
      await strict.post(sessionStarted(`u-${randomUUID()}`));
      const behind = await eventually(
        () => strict.get('/health/ready', null),
        (response) => response.status === 503,
        5000,
      );
      expect(behind.status).toBe(503);
      expect(behind.body.checks.projections).toMatchObject({ status: 'down', maxLagSeconds: 1, role: 'api' });
      expect(behind.body.checks.projections.lagSeconds).toBeGreaterThan(1);
      expect(behind.body.checks.store.status).toBe('up');
    } finally {
      await strict.stop();
    }
  });
});
