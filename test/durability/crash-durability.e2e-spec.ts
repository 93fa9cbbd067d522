import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, verifyAllStreams } from '@ledger/event-store';
import { authenticationSucceeded } from '../support/cloud-events';
import { ensureBuilt, startServerProcess } from '../support/built-server';

const WRITERS = 8;
const SUBJECTS = 25;
const KILL_AFTER_ACKNOWLEDGED = 1500;

describe('durability: SIGKILL during sustained ingestion', () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged event and leaves every chain valid', async () => {
    const sqlitePath = join(dir, 'events.sqlite');
    const server = await startServerProcess({ LEDGER_SQLITE_PATH: sqlitePath, LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite') });
    const acknowledged = new Set<string>();
    let killed = false;
    let attempted = 0;

    const writer = async (writerIndex: number) => {
      for (let round = 0; !killed; round++) {
        const size = 1 + ((writerIndex + round) % 5);
        const batch = Array.from({ length: size }, (_, i) =>
          authenticationSucceeded(`crash-${(writerIndex * 7 + round + i) % SUBJECTS}`, { source: `writer-${writerIndex}` }),
        );
        attempted += size;
        try {
          const response = await fetch(`${server.url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/cloudevents-batch+json', ...server.auth('emitter') },
            body: JSON.stringify(batch),
          });
          if (response.status !== 201) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
          const { results } = (await response.json()) as { results: Array<{ source: string; id: string }> };
          for (const result of results) acknowledged.add(`${result.source}/${result.id}`);
        } catch (error) {
          if (killed) return; // the request was in flight when the process died: not acknowledged
          throw error;
        }
        if (acknowledged.size >= KILL_AFTER_ACKNOWLEDGED && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
    await exited;
    expect(server.child.signalCode).toBe('SIGKILL');

    const store = new SqliteEventStore({ path: sqlitePath });
    try {
      const stored = await store.readAll();
      const storedKeys = new Set(stored.map((event) => `${event.metadata.source}/${event.metadata.cloudEventId}`));
      const lost = [...acknowledged].filter((key) => !storedKeys.has(key));
      // Visible in the run log: how many were acknowledged, attempted and found.
      console.log(`crash test: attempted ${attempted}, acknowledged ${acknowledged.size}, stored ${stored.length}, lost ${lost.length}`);
      expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
      expect(lost).toEqual([]);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.size);
      expect(storedKeys.size).toBe(stored.length);

      const verification = await verifyAllStreams(
        (async function* () {
          yield* stored;
        })(),
      );
      expect(verification).toMatchObject({ valid: true, brokenStreams: 0, eventsChecked: stored.length });
    } finally {
      await store.close();
    }
  });
});
