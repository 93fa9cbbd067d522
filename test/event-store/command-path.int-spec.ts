import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandPath,
  EventStoreUnavailableError,
  EventToAppend,
  MAX_APPEND_ATTEMPTS,
  RecordedEvent,
  SqliteEventStore,
  verifyStreamChain,
} from '@ledger/event-store';

/** A counter stream: each command appends one `counted` event carrying the count it saw. */
const counterOptions = { initialState: () => 0, evolve: (count: number, _event: RecordedEvent) => count + 1 };

function counted(seen: number): EventToAppend {
  return { id: randomUUID(), type: 'counted', data: { seen }, metadata: {} };
}

describe('the one command path (SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-command-path-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 50 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides on the loaded state, chains onto its tail and returns what was stored', async () => {
    const path = new CommandPath(store, counterOptions);
    for (let i = 0; i < 3; i++) await path.handle('counter-a', (loaded) => ({ events: [counted(loaded.state)], result: loaded.state }));
    const stored = await store.readStream('counter-a');
    expect(stored.map((event) => event.data.seen)).toEqual([0, 1, 2]);
    expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect((await verifyStreamChain('counter-a', stored)).valid).toBe(true);
  });

  it('writes nothing for a decision with no events, and answers its result', async () => {
    const path = new CommandPath(store, counterOptions);
    const handled = await path.handle('counter-b', () => ({ events: [], result: 'nothing to do' }));
    expect(handled).toMatchObject({ result: 'nothing to do', appended: [] });
    expect(await store.streamRevision('counter-b')).toBe(-1);
  });

  it('decides again on the newer history when another process appended in between', async () => {
    const ours = new CommandPath(store, counterOptions);
    const theirs = new CommandPath(store, counterOptions);
    await ours.handle('counter-c', (loaded) => ({ events: [counted(loaded.state)], result: undefined }));
    // The other process appends twice; our cache still says one event.
    await theirs.handle('counter-c', (loaded) => ({ events: [counted(loaded.state)], result: undefined }));
    await theirs.handle('counter-c', (loaded) => ({ events: [counted(loaded.state)], result: undefined }));
    const handled = await ours.handle('counter-c', (loaded) => ({ events: [counted(loaded.state)], result: loaded.state }));
    expect(handled.result).toBe(3);
    expect((await store.readStream('counter-c')).map((event) => event.data.seen)).toEqual([0, 1, 2, 3]);
  });

  it('gives up after a bounded number of attempts on a stream that keeps moving', async () => {
    const path = new CommandPath(store, counterOptions);
    const rival = new CommandPath(store, counterOptions);
    let decisions = 0;
    const attempt = path.handle('counter-d', async (loaded) => {
      decisions++;
      // Before each of our appends, a rival process appends first.
      await rival.handle('counter-d', (theirs) => ({ events: [counted(theirs.state)], result: undefined }));
      return { events: [counted(loaded.state)], result: undefined };
    });
    await expect(attempt).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(decisions).toBe(MAX_APPEND_ATTEMPTS);
  });

  it("hands a conflict to the caller's own error when it allows one attempt", async () => {
    const path = new CommandPath(store, counterOptions);
    const rival = new CommandPath(store, counterOptions);
    const attempt = path.handle(
      'counter-e',
      async (loaded) => {
        await rival.handle('counter-e', (theirs) => ({ events: [counted(theirs.state)], result: undefined }));
        return { events: [counted(loaded.state)], result: undefined };
      },
      { maxAttempts: 1, onConflict: (_conflict, streamId) => new Error(`${streamId} changed meanwhile`) },
    );
    await expect(attempt).rejects.toThrow('counter-e changed meanwhile');
    expect((await store.readStream('counter-e')).length).toBe(1);
  });

  it('writes no stream of a multi-stream command when one decision refuses', async () => {
    const path = new CommandPath(store, counterOptions);
    const attempt = path.handleAll(['counter-f', 'counter-g'], (loaded, streamId) => {
      if (streamId === 'counter-g') throw new Error('refused');
      return { events: [counted(loaded.state)], result: undefined };
    });
    await expect(attempt).rejects.toThrow('refused');
    expect(await store.streamRevision('counter-f')).toBe(-1);
    expect(await store.streamRevision('counter-g')).toBe(-1);
  });

  it('appends every stream of a multi-stream command, and re-decides only the one that conflicted', async () => {
    const path = new CommandPath(store, counterOptions);
    const rival = new CommandPath(store, counterOptions);
    const decided: string[] = [];
    const handled = await path.handleAll(['counter-h', 'counter-i'], async (loaded, streamId) => {
      decided.push(`${streamId}@${loaded.state}`);
      // Between our read of counter-i and our append, another process appends to it once.
      if (streamId === 'counter-i' && loaded.state === 0) {
        await rival.handle('counter-i', (theirs) => ({ events: [counted(theirs.state)], result: undefined }));
      }
      return { events: [counted(loaded.state)], result: loaded.state };
    });
    expect(handled.map((outcome) => [outcome.streamId, outcome.result])).toEqual([
      ['counter-h', 0],
      ['counter-i', 1],
    ]);
    expect(decided).toEqual(['counter-h@0', 'counter-i@0', 'counter-i@1']);
    expect((await store.readStream('counter-i')).map((event) => event.data.seen)).toEqual([0, 1]);
  });

  it('lets one check over every stream refuse a multi-stream command before any stream is written', async () => {
    const path = new CommandPath(store, counterOptions);
    const seen: string[][] = [];
    const attempt = path.handleAll(
      ['counter-j', 'counter-k'],
      (loaded, streamId) => ({ events: [counted(loaded.state)], result: streamId }),
      {
        beforeAppend: (results) => {
          seen.push(results);
          if (results.includes('counter-k')) throw new Error('counter-k refused by the batch check');
        },
      },
    );
    await expect(attempt).rejects.toThrow('counter-k refused by the batch check');
    expect(seen).toEqual([['counter-j', 'counter-k']]);
    expect(await store.streamRevision('counter-j')).toBe(-1);
    expect(await store.streamRevision('counter-k')).toBe(-1);
  });

  it('checks a stream decided again after a conflict, alone, before writing it', async () => {
    const path = new CommandPath(store, counterOptions);
    const rival = new CommandPath(store, counterOptions);
    const checked: number[][] = [];
    const attempt = path.handleAll(
      ['counter-l'],
      async (loaded) => {
        if (loaded.state === 0) await rival.handle('counter-l', (theirs) => ({ events: [counted(theirs.state)], result: undefined }));
        return { events: [counted(loaded.state)], result: loaded.state };
      },
      {
        beforeAppend: (results) => {
          checked.push(results);
          if (results.includes(1)) throw new Error('the newer history is refused');
        },
      },
    );
    await expect(attempt).rejects.toThrow('the newer history is refused');
    expect(checked).toEqual([[0], [1]]);
    expect((await store.readStream('counter-l')).map((event) => event.data.seen)).toEqual([0]);
  });
});
