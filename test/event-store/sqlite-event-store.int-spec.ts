import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chainEvents,
  DuplicateEventIdError,
  EMPTY_STREAM_TAIL,
  EventToAppend,
  InvalidEventIdError,
  SqliteEventStore,
  verifyStreamChain,
} from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite adapter (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** The events table as every store had it before event ids were stored as 16-byte keys. */
const TEXT_ID_SCHEMA = `
CREATE TABLE events (
  global_position INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  recorded_at     INTEGER NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE TRIGGER events_are_immutable_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER events_are_immutable_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;`;

describe('SQLite event ids stored as 16-byte keys', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-event-ids-'));
    path = join(dir, 'events.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeTextIdStore(streamId: string, count: number): EventToAppend[] {
    const drafts = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      type: 'assurance.session.started',
      data: { i },
      metadata: {},
    }));
    const chained = chainEvents(streamId, EMPTY_STREAM_TAIL, drafts);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(TEXT_ID_SCHEMA);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    chained.forEach((event, revision) =>
      insert.run(
        10 + revision,
        event.id,
        streamId,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        1_700_000_000_000,
      ),
    );
    db.close();
    return chained;
  }

  it('migrates a store written with text ids when first opened, keeping ids, positions and the hash chain', async () => {
    const written = writeTextIdStore('subject-a', 3);
    const store = new SqliteEventStore({ path });
    try {
      const read = await store.readStream('subject-a');
      expect(read.map((event) => [event.id, event.position, event.revision, event.metadata.hash])).toEqual(
        written.map((event, revision) => [event.id, 10 + revision, revision, event.metadata.hash]),
      );
      expect((await verifyStreamChain('subject-a', read)).valid).toBe(true);
      // A migrated id is still unique across streams, and a replay of it is still one write.
      await expect(store.append('subject-b', [{ ...written[0] }], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      const replay = await store.append('subject-a', [written[0]], 'no_stream');
      expect(replay.events.map((event) => event.position)).toEqual([10]);
      expect((await store.append('subject-a', [{ id: randomUUID(), type: 't', data: {}, metadata: {} }], 2)).position).toBe(13);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT DISTINCT typeof(event_id) AS kind FROM events').all()).toEqual([{ kind: 'blob' }]);
    db.close();
    // Opening it again changes nothing, and edits through SQL are still refused.
    const again = new SqliteEventStore({ path });
    expect((await again.readAll()).map((event) => event.id)).toEqual([...written.map((event) => event.id), expect.any(String)]);
    await again.close();
    const writable = new Database(path);
    expect(() => writable.prepare('DELETE FROM events').run()).toThrow(/events are immutable/);
    writable.close();
  });

  it('reads ids back in lower case and refuses an id that is not a UUID, writing nothing', async () => {
    const store = new SqliteEventStore({ path });
    try {
      const upper = randomUUID().toUpperCase();
      const stored = await store.append('subject-a', [{ id: upper, type: 't', data: {}, metadata: {} }], 'no_stream');
      expect(stored.events[0].id).toBe(upper.toLowerCase());
      expect((await store.findInStream('subject-a', [upper.toLowerCase(), 'not-a-uuid'])).map((event) => event.id)).toEqual([
        upper.toLowerCase(),
      ]);
      await expect(store.append('subject-a', [{ id: 'subject-a-1', type: 't', data: {}, metadata: {} }], 0)).rejects.toBeInstanceOf(
        InvalidEventIdError,
      );
      expect(await store.headPosition()).toBe(stored.position);
    } finally {
      await store.close();
    }
  });
});
