import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { rebuildPostgresReadModels, rebuildReadModels } from '@ledger/read-models';
import { ensureBuilt, ServerProcess, startServerProcess } from '../support/built-server';
import type { CloudEventBody } from '../support/cloud-events';
import { dropSchemas, queryPostgres, requirePostgres, TEST_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { scriptEstate } from '../projections/support/scripted-estate';

const BATCH = 'application/cloudevents-batch+json';

async function call(server: ServerProcess, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, { ...init, headers: { ...server.auth(), ...(init.headers as Record<string, string>) } });
  return { status: response.status, body: await response.json() };
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

async function feed(batches: CloudEventBody[][], writers: ServerProcess[]): Promise<number> {
  let position = -1;
  for (const [i, batch] of batches.entries()) {
    const answer = await call(writers[i % writers.length], '/v1/events', {
      method: 'POST',
      headers: { 'content-type': BATCH, ...writers[0].auth('emitter') },
      body: JSON.stringify(batch),
    });
    if (answer.status !== 201) throw new Error(`batch ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
    position = Math.max(position, ...answer.body.results.map((result: { position: number }) => result.position));
  }
  return position;
}

async function until<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The deployment the PostgreSQL read models are for: API replicas (LEDGER_ROLE=api) that share
 * nothing on disk with the projector but the database, and projectors of which one writes at a
 * time. Every process is the built server, as operators run it.
 */
describe('API replicas and projectors on PostgreSQL read models', () => {
  let dir: string;
  let schema: string;
  const rebuiltSchema = uniqueSchema('rebuilt');
  const servers: ServerProcess[] = [];
  const estate = scriptEstate('pg', 40);
  const batches = estate.map((subject) => subject.segments.flat());
  const env = (role: string) => ({
    LEDGER_ROLE: role,
    LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
    LEDGER_API_KEYS_FILE: join(dir, 'api-keys.json'),
    LEDGER_CHECKPOINT_INTERVAL_MS: '0',
    LEDGER_READ_MODELS: 'postgres',
    LEDGER_POSTGRES_URL: TEST_POSTGRES_URL,
    LEDGER_POSTGRES_SCHEMA: schema,
    // The read-model file must never be the channel between them: each process gets its own path, which none may use.
    LEDGER_READ_MODEL_PATH: join(dir, `unused-${role}-${servers.length}.sqlite`),
  });

  beforeAll(async () => {
    await requirePostgres();
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-pg-replicas-'));
    schema = uniqueSchema('replicas');
  });
  afterAll(async () => {
    await Promise.all(servers.map(stop));
    rmSync(dir, { recursive: true, force: true });
    await dropSchemas(schema, rebuiltSchema, `${rebuiltSchema}_rebuilding`);
  });

  /** The checksums and event count of a rebuild from position 0 of the same events, on PostgreSQL and on SQLite. */
  async function freshRebuilds() {
    const events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    try {
      const postgres = await rebuildPostgresReadModels(events, { connectionString: TEST_POSTGRES_URL, schema: rebuiltSchema });
      const sqlite = await rebuildReadModels(events, join(dir, 'rebuilt.sqlite'));
      return { postgres, sqlite };
    } finally {
      await events.close();
    }
  }

  it('serves the same help-desk view from two replicas on three ports, and a write through one is read through the other', async () => {
    const projector = await startServerProcess(env('projector'));
    servers.push(projector);
    const replicas = [await startServerProcess(env('api')), await startServerProcess(env('api'))];
    servers.push(...replicas);
    expect(new Set([projector.url, ...replicas.map((replica) => replica.url)]).size).toBe(3);

    const [first, ...rest] = batches;
    const position = await feed([first], [replicas[0]]);
    // The replica that did not take the write waits on the shared checkpoint, in PostgreSQL.
    const seen = await call(replicas[1], `/v1/subjects/${first[0].subject}?minPosition=${position}`);
    expect(seen.status).toBe(200);
    expect(seen.body.subjectId).toBe(first[0].subject);
    expect((await call(replicas[0], `/v1/subjects/${first[0].subject}?minPosition=${position}`)).body).toEqual(seen.body);

    const last = await feed(rest, replicas);
    const views = await Promise.all(replicas.map((replica) => call(replica, `/v1/subjects/${rest[5][0].subject}?minPosition=${last}`)));
    expect(views.map((view) => view.status)).toEqual([200, 200]);
    expect(views[1].body).toEqual(views[0].body);
    const checksums = await Promise.all(replicas.map((replica) => call(replica, `/v1/projections/checksums?minPosition=${last}`)));
    expect(checksums[1].body).toEqual(checksums[0].body);

    // The read models the processes built are those a rebuild from 0 builds, on PostgreSQL as on SQLite.
    const { postgres, sqlite } = await freshRebuilds();
    expect(postgres.checksums).toEqual(sqlite.checksums);
    expect(checksums[0].body.checksums).toEqual(postgres.checksums);
  }, 120_000);

  it('lets a standby projector take over within 10 s of a kill -9 of the active one, applying every event once', async () => {
    const active = servers[0];
    const replica = servers[1];
    const standby = await startServerProcess({ ...env('projector'), LEDGER_LOG_LEVEL: 'log' });
    servers.push(standby);
    await until(
      'the second projector stands by',
      async () => (/standing by to take over/.test(standby.output()) ? true : undefined),
      15_000,
    );

    // Writes go on throughout; the active projector dies in the middle of them.
    const extra = scriptEstate('takeover', 20).map((subject) => subject.segments.flat());
    const before = await feed(extra.slice(0, 10), [replica]);
    await until(
      'the active projector is live',
      async () => ((await call(replica, `/v1/projections/checksums?minPosition=${before}`)).status === 200 ? true : undefined),
      15_000,
    );
    active.child.kill('SIGKILL');
    const killedAt = Date.now();
    const last = await feed(extra.slice(10), [replica]);
    await until(
      'the standby has projected everything',
      async () => ((await call(replica, `/v1/projections/checksums?minPosition=${last}`)).status === 200 ? true : undefined),
      10_000,
    );
    const tookOverInMs = Date.now() - killedAt;
    expect(tookOverInMs).toBeLessThan(10_000);
    expect(standby.output()).toMatch(/took over the read models/);

    // No event applied twice and none missed: each read model counts as many events as a fresh rebuild, with the same content.
    const overview = await call(replica, '/v1/projections');
    const served = await call(replica, '/v1/projections/checksums');
    const { postgres, sqlite } = await freshRebuilds();
    expect(overview.body.projections.map((projection: any) => projection.eventsApplied)).toEqual(
      overview.body.projections.map(() => postgres.eventsApplied),
    );
    expect(served.body.checksums).toEqual(postgres.checksums);
    expect(postgres.checksums).toEqual(sqlite.checksums);
    // The standby holds the lock now, on its own connection.
    const holders = await queryPostgres<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.objid = (hashtextextended($1, 0) & 4294967295)::oid AND l.classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid`,
      [`assurance-ledger read models ${schema}`],
    );
    expect(holders.map((holder) => holder.application_name)).toEqual([`assurance-ledger projector ${schema}`]);
  }, 120_000);
});
