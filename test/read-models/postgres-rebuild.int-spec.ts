import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import {
  PostgresReadModelStore,
  ProjectionRunner,
  ReadModelLockedError,
  rebuildPostgresReadModels,
  rebuildReadModels,
} from '@ledger/read-models';
import { dropSchemas, queryPostgres, requirePostgres, TEST_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { append, seedEstate } from './support/seeded-events';

describe('rebuilding the PostgreSQL read models', () => {
  let dir: string;
  let events: SqliteEventStore;
  const schema = uniqueSchema('rebuild');
  const target = { connectionString: TEST_POSTGRES_URL, schema };

  beforeAll(async () => {
    await requirePostgres();
    dir = mkdtempSync(join(tmpdir(), 'pg-rebuild-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    await seedEstate(events, 25);
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
    await dropSchemas(schema, `${schema}_rebuilding`, `${schema}_retired`);
  });

  const reader = () => new PostgresReadModelStore({ connectionString: TEST_POSTGRES_URL, schema, role: 'reader' });

  it('builds a fresh schema and renames it over the live one, with the checksums of the SQLite rebuild', async () => {
    const first = await rebuildPostgresReadModels(events, target);
    const sqlite = await rebuildReadModels(events, join(dir, 'read-models.sqlite'));
    expect(first.checksums).toEqual(sqlite.checksums);
    expect(first.eventsApplied).toBe(sqlite.eventsApplied);

    // A reader opened before the swap sees the new read models after it: the schema is found by name.
    const live = reader();
    const before = await live.checksums();
    expect(before.value).toEqual(first.checksums);
    await append(events, 'subject-late', [
      {
        type: 'assurance.authenticator.enrolled',
        data: {
          authenticatorId: 'k',
          kind: 'totp',
          phishingResistant: false,
          hardwareBound: false,
          syncable: false,
          userVerification: true,
        },
      },
    ]);
    const second = await rebuildPostgresReadModels(events, target);
    const after = await live.checksums();
    expect(after.position).toBeGreaterThan(before.position);
    expect(after.value).toEqual(second.checksums);
    expect((await live.getSubject('late')).value?.subjectId).toBe('late');
    await live.close();
    // Nothing is left behind but the live schema.
    const schemas = await queryPostgres<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${schema}%`]);
    expect(schemas.map((row) => row.nspname)).toEqual([schema]);
    const migrations = await queryPostgres(`SELECT version FROM ${schema}.read_model_migrations`);
    expect(migrations).toHaveLength(1);
  });

  it('refuses to run while a projector writes the schema, and leaves it untouched', async () => {
    const projector = new PostgresReadModelStore({ connectionString: TEST_POSTGRES_URL, schema, role: 'projector' });
    await projector.acquireWriter();
    const before = await projector.checksums();
    try {
      await expect(rebuildPostgresReadModels(events, target)).rejects.toBeInstanceOf(ReadModelLockedError);
      expect(await projector.checksums()).toEqual(before);
      // The projector still writes: the rebuild took nothing from it.
      await new ProjectionRunner(events, projector).catchUp();
    } finally {
      await projector.close();
    }
    const schemas = await queryPostgres<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${schema}%`]);
    expect(schemas.map((row) => row.nspname)).toEqual([schema]);
  });

  it('makes a second projector wait for the lock and take over when the first closes', async () => {
    const first = new PostgresReadModelStore({ connectionString: TEST_POSTGRES_URL, schema, role: 'projector' });
    const second = new PostgresReadModelStore({ connectionString: TEST_POSTGRES_URL, schema, role: 'projector', lockPollMs: 50 });
    try {
      await first.acquireWriter();
      let taken = false;
      const waiting = second.acquireWriter().then(() => (taken = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(taken).toBe(false);
      await first.close();
      await waiting;
      expect(taken).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
