import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_MODEL_SCHEMA_VERSION, SqliteReadModelStore } from './sqlite-read-model-store';

describe('SQLite read models opened by a reader (LEDGER_ROLE=api)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-reader-'));
    path = join(dir, 'read-models.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function markAsOtherVersion(): void {
    const db = new Database(path);
    db.prepare("UPDATE read_model_meta SET value = ? WHERE key = 'schema_version'").run(String(READ_MODEL_SCHEMA_VERSION + 1));
    db.close();
  }

  it('refuses a file of another schema version instead of dropping what the projector wrote', async () => {
    await new SqliteReadModelStore({ path }).close();
    markAsOtherVersion();
    expect(() => new SqliteReadModelStore({ path, reader: true })).toThrow(/schema version .* run the projector of the same release first/);
    // The owner (a projector) still drops and recreates it, as before.
    const owner = new SqliteReadModelStore({ path });
    expect((await owner.checkpoints()).every((checkpoint) => checkpoint.position === -1)).toBe(true);
    await owner.close();
  });

  it('counts open review items per kind for monitoring, none when the queue is empty', async () => {
    const store = new SqliteReadModelStore({ path });
    expect(await store.openReviewCounts()).toEqual({ position: -1, value: {} });
    await store.close();
  });
});
