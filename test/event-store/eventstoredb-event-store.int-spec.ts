import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { EventStoreUnavailableError, EventToAppend } from '@ledger/event-store';
import { EventStoreDbEventStore, createEventStoreDbEventStore } from '@ledger/event-store/eventstoredb';
import { EventStoreDbDouble, EventStoreDbDoubleOptions, startEventStoreDbDouble } from '../eventstoredb-double';
import { ContractSubject, describeEventStoreContract } from './event-store.contract';

async function subjectOverDouble(options: EventStoreDbDoubleOptions): Promise<ContractSubject> {
  const double = await startEventStoreDbDouble(options);
  const store = createEventStoreDbEventStore(double.connectionString);
  return {
    store,
    dispose: async () => {
      await store.close();
      await double.stop();
    },
  };
}

function event(type = 'double.checked'): EventToAppend {
  return { id: randomUUID(), type, data: { at: Date.now() }, metadata: { source: 'eventstoredb-int-spec' } };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEventStoreContract('EventStoreDB adapter over gRPC (test double, BatchAppend)', () => subjectOverDouble({ batchAppend: true }));

describeEventStoreContract('EventStoreDB adapter over gRPC (test double, classic Append)', () => subjectOverDouble({ batchAppend: false }));

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
// Runs only when a real server is configured; otherwise this is the one skipped describe.
(realServer ? describe : describe.skip)('EventStoreDB adapter (real server)', () => {
  describeEventStoreContract('EventStoreDB adapter (real server)', async () => {
    const store = createEventStoreDbEventStore(realServer!);
    return { store, dispose: () => store.close() };
  });
});

describe('EventStoreDB adapter: transport modes and availability', () => {
  const doubles: EventStoreDbDouble[] = [];
  const stores: EventStoreDbEventStore[] = [];

  async function over(options: EventStoreDbDoubleOptions): Promise<{ double: EventStoreDbDouble; store: EventStoreDbEventStore }> {
    const double = await startEventStoreDbDouble(options);
    const store = createEventStoreDbEventStore(double.connectionString);
    doubles.push(double);
    stores.push(store);
    return { double, store };
  }

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(doubles.map((double) => double.stop()));
  });

  it('appends over BatchAppend when the server advertises it', async () => {
    const { double, store } = await over({ batchAppend: true });
    const stream = `mode-${randomUUID()}`;
    await store.append(stream, [event()], 'no_stream');
    await store.append(stream, [event(), event()], 0);

    const calls = double.calls();
    expect(calls.getSupportedMethods).toBe(1);
    expect(calls.batchAppend).toBe(1); // one long-lived stream ...
    expect(calls.batchAppendBatches).toBe(2); // ... carrying both appends
    expect(calls.append).toBe(0);
  });

  it('falls back to classic Append when BatchAppend is not advertised', async () => {
    const { double, store } = await over({ batchAppend: false });
    const stream = `mode-${randomUUID()}`;
    await store.append(stream, [event()], 'no_stream');
    await store.append(stream, [event(), event()], 0);

    const calls = double.calls();
    expect(calls.getSupportedMethods).toBe(1);
    expect(calls.append).toBe(2);
    expect(calls.batchAppend).toBe(0);
    expect(calls.batchAppendBatches).toBe(0);
  });

  it('falls back to classic Append when the server does not implement GetSupportedMethods', async () => {
    const { double, store } = await over({ batchAppend: true, serverFeatures: 'unimplemented' });
    const result = await store.append(`mode-${randomUUID()}`, [event()], 'no_stream');
    expect(result.events.map((e) => e.revision)).toEqual([0]);

    const calls = double.calls();
    expect(calls.append).toBe(1);
    expect(calls.batchAppend).toBe(0);
  });

  it('filters system events that a real server keeps in $all', async () => {
    const { store } = await over({ batchAppend: true, seedSystemEvents: true });
    const stream = `visible-${randomUUID()}`;
    await store.append(stream, [event('user.visible')], 'no_stream');
    const all = await store.readAll({ maxCount: 1 });
    expect(all.map((e) => e.streamId)).toEqual([stream]);
  });

  it('pages through $all past system events without repeating the page boundary', async () => {
    const double = await startEventStoreDbDouble({ batchAppend: true, seedSystemEvents: true });
    const store = createEventStoreDbEventStore(double.connectionString, { readAllPageSize: 2 });
    doubles.push(double);
    stores.push(store);
    const appended = [];
    for (let i = 0; i < 5; i++) appended.push(...(await store.append(`page-${i}-${randomUUID()}`, [event(`p${i}`)], 'no_stream')).events);

    expect((await store.readAll({ maxCount: 4 })).map((e) => e.type)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect((await store.readAll({ fromPosition: appended[1].position, maxCount: 3 })).map((e) => e.type)).toEqual(['p1', 'p2', 'p3']);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(await store.readAll({ fromPosition: appended[4].position + 1 })).toEqual([]);
  });

  it('releases the server-side subscription when a subscription is closed', async () => {
    const { double, store } = await over({ batchAppend: true });
    const subscription = store.subscribe();
    const iterator = subscription[Symbol.asyncIterator]();
    await store.append(`sub-${randomUUID()}`, [event()], 'no_stream');
    await iterator.next();
    expect(double.activeSubscriptions()).toBe(1);
    await subscription.close();
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
    const deadline = Date.now() + 2000;
    while (double.activeSubscriptions() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(double.activeSubscriptions()).toBe(0);
  });

  describe('when the server is unreachable', () => {
    let store: EventStoreDbEventStore;

    beforeAll(async () => {
      const port = await closedPort();
      store = createEventStoreDbEventStore(`esdb://127.0.0.1:${port}?tls=false&defaultDeadline=1000`, { pingTimeoutMs: 1000 });
      stores.push(store);
    });

    it('ping rejects with EventStoreUnavailableError', async () => {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('append rejects with EventStoreUnavailableError', async () => {
      await expect(store.append(`down-${randomUUID()}`, [event()], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('reads reject with EventStoreUnavailableError', async () => {
      await expect(store.readStream(`down-${randomUUID()}`)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  it('reports EventStoreUnavailableError once a reachable server goes away', async () => {
    const { double, store } = await over({ batchAppend: true });
    await expect(store.ping()).resolves.toBeUndefined();
    await double.stop();
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
