import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildPostgresReadModels } from '@ledger/read-models';
import { freePort } from '../support/built-server';
import { enrolledEvent, sessionStarted } from '../support/cloud-events';
import { eventually } from '../support/eventually';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import { dropSchemas, queryPostgres, requirePostgres, TEST_POSTGRES_URL, uniqueSchema } from '../support/postgres';

const BATCH = 'application/cloudevents-batch+json';

/**
 * What docs/operations.md promises when PostgreSQL is down: the events are recorded as ever, reads
 * answer 503 problem details, health says why, and the projector catches up once it is back.
 */
describe('fault: the PostgreSQL read models go away', () => {
  const schemas: string[] = [];
  let ledger: RunningLedger | undefined;

  beforeAll(requirePostgres);
  afterEach(async () => {
    await ledger?.stop();
    ledger = undefined;
  });
  afterAll(() => dropSchemas(...schemas.flatMap((schema) => [schema, `${schema}_rebuilding`])));

  it('keeps recording writes while reads answer 503 and health is not ready', async () => {
    const schema = uniqueSchema('outage');
    schemas.push(schema);
    // Nothing listens on this port: PostgreSQL is down from the start.
    ledger = await startLedger({
      LEDGER_READ_MODELS: 'postgres',
      LEDGER_POSTGRES_URL: `postgres://postgres@127.0.0.1:${await freePort()}/test`,
      LEDGER_POSTGRES_SCHEMA: schema,
    });
    const subject = `u-${randomUUID()}`;
    const written = await ledger.post([enrolledEvent(subject), sessionStarted(subject)], BATCH);
    expect(written.status).toBe(201);
    expect((await ledger.get(`/v1/subjects/${subject}/events`)).status).toBe(200);

    const read = await ledger.get(`/v1/subjects/${subject}`);
    expect(read.status).toBe(503);
    expect(read.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(read.headers.get('retry-after')).toBe('5');
    expect(read.body).toMatchObject({ status: 503, code: 'read-models-unavailable' });
    expect(read.body.detail).toMatch(/writes are still recorded/);

    const health = await ledger.get('/health/ready', null);
    expect(health.status).toBe(503);
    expect(health.body.checks.projections).toMatchObject({ status: 'down', readModels: 'postgres' });
    expect(health.body.checks.store.status).toBe('up');
    // Metrics still answer, without the gauges read from the read models.
    const metrics = await fetch(`${ledger.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('ledger_events_ingested_total');
  });

  it('catches up after its connections are cut, to the read models a rebuild gives', async () => {
    const schema = uniqueSchema('cut');
    const rebuilt = uniqueSchema('cut_rebuilt');
    schemas.push(schema, rebuilt);
    ledger = await startLedger({ LEDGER_READ_MODELS: 'postgres', LEDGER_POSTGRES_URL: TEST_POSTGRES_URL, LEDGER_POSTGRES_SCHEMA: schema });
    const running = ledger;
    const subject = `u-${randomUUID()}`;
    const first = await running.post([enrolledEvent(subject)], BATCH);
    expect((await running.get(`/v1/subjects/${subject}?minPosition=${first.body.results[0].position}`)).status).toBe(200);

    // As a PostgreSQL restart would: every connection of this ledger ends, the lock with the projector's.
    const cut = await queryPostgres<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name LIKE $1',
      [`assurance-ledger % ${schema}`],
    );
    expect(cut.length).toBeGreaterThanOrEqual(1);
    const later = await running.post([sessionStarted(subject), sessionStarted(subject)], BATCH);
    expect(later.status).toBe(201);
    const last = Math.max(...later.body.results.map((result: { position: number }) => result.position));

    const caughtUp = await eventually(
      () => running.get(`/v1/projections/checksums?minPosition=${last}`),
      (response) => response.status === 200,
    );
    const events = new SqliteEventStore({ path: running.config.sqlitePath });
    try {
      const fresh = await rebuildPostgresReadModels(events, { connectionString: TEST_POSTGRES_URL, schema: rebuilt });
      expect(caughtUp.body.checksums).toEqual(fresh.checksums);
      const overview = await running.get('/v1/projections');
      expect(overview.body.projections.map((projection: any) => projection.eventsApplied)).toEqual(
        overview.body.projections.map(() => fresh.eventsApplied),
      );
    } finally {
      await events.close();
    }
  });
});
