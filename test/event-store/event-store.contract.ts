import { randomUUID } from 'node:crypto';
import { EventStore, EventToAppend, RecordedEvent, StreamNotFoundError, WrongExpectedRevisionError } from '@ledger/event-store';

export interface ContractSubject {
  store: EventStore;
  /** Called once after the suite. */
  dispose(): Promise<void>;
}

function newEvent(type = 'test.happened', data: Record<string, unknown> = {}): EventToAppend {
  return { id: randomUUID(), type, data: { n: Math.random(), ...data }, metadata: { source: 'contract-suite' } };
}

function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

async function collect(iterator: AsyncIterator<RecordedEvent>, count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`subscription delivered ${out.length} of ${count} events in time`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`subscription delivered ${out.length} of ${count} events in time`)), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

/**
 * The behaviour every event-store adapter must show. Each adapter's
 * integration spec calls this with a factory; the suite name carries the
 * adapter's name so that a run says which adapter passed.
 */
export function describeEventStoreContract(adapterName: string, createSubject: () => Promise<ContractSubject>): void {
  describe(`event store contract: ${adapterName}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await createSubject();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('appends to a new stream and reads back data, metadata, revisions and positions', async () => {
      const stream = uniqueStream();
      const events = [newEvent('a', { nested: { list: [1, 'two', { three: true }] } }), newEvent('b')];
      const result = await store.append(stream, events, 'no_stream');

      expect(result.nextExpectedRevision).toBe(1);
      expect(result.events.map((e) => e.revision)).toEqual([0, 1]);
      expect(result.events[1].position).toBeGreaterThan(result.events[0].position);
      expect(result.position).toBe(result.events[1].position);

      const read = await store.readStream(stream);
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.type)).toEqual(['a', 'b']);
      expect(read[0].data).toEqual(events[0].data);
      expect(read[0].metadata).toEqual(events[0].metadata);
      expect(read[0].streamId).toBe(stream);
      expect(read.map((e) => e.position)).toEqual(result.events.map((e) => e.position));
      expect(read[0].recordedAt).toBeInstanceOf(Date);
      expect(Math.abs(read[0].recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('keeps revisions contiguous across appends with an expected revision', async () => {
      const stream = uniqueStream();
      await store.append(stream, [newEvent()], 'no_stream');
      const second = await store.append(stream, [newEvent(), newEvent()], 0);
      expect(second.nextExpectedRevision).toBe(2);
      const third = await store.append(stream, [newEvent()], 'stream_exists');
      expect(third.nextExpectedRevision).toBe(3);
      const fourth = await store.append(stream, [newEvent()], 'any');
      expect(fourth.nextExpectedRevision).toBe(4);
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    });

    it('refuses a wrong expected revision with a typed error naming the actual revision, and stores nothing', async () => {
      const stream = uniqueStream();
      await store.append(stream, [newEvent(), newEvent()], 'no_stream');

      const stale = await store.append(stream, [newEvent()], 0).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
      expect((stale as WrongExpectedRevisionError).actual).toBe(1);

      const exists = await store.append(stream, [newEvent()], 'no_stream').catch((e: unknown) => e);
      expect(exists).toBeInstanceOf(WrongExpectedRevisionError);

      const missing = await store.append(uniqueStream(), [newEvent()], 'stream_exists').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
      expect((missing as WrongExpectedRevisionError).actual).toBe(-1);

      const ahead = await store.append(uniqueStream(), [newEvent()], 3).catch((e: unknown) => e);
      expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);

      expect((await store.readStream(stream)).length).toBe(2);
    });

    it('lets exactly one of two concurrent writers with the same expected revision win', async () => {
      const stream = uniqueStream();
      await store.append(stream, [newEvent()], 'no_stream');
      const outcomes = await Promise.allSettled([store.append(stream, [newEvent()], 0), store.append(stream, [newEvent()], 0)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('treats the same events appended again at the same expected revision as one write', async () => {
      const stream = uniqueStream();
      const events = [newEvent(), newEvent()];
      const first = await store.append(stream, events, 'no_stream');
      const again = await store.append(stream, events, 'no_stream');
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(again.events.map((e) => e.position)).toEqual(first.events.map((e) => e.position));
      expect((await store.readStream(stream)).length).toBe(2);
    });

    it('reports a missing stream with a typed error', async () => {
      const stream = uniqueStream();
      await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(store.readStream(stream)).rejects.toMatchObject({ streamId: stream });
    });

    it('reads a stream forwards and backwards from a revision with a count', async () => {
      const stream = uniqueStream();
      await store.append(
        stream,
        [0, 1, 2, 3, 4].map((i) => newEvent(`e${i}`)),
        'no_stream',
      );

      const forwards = await store.readStream(stream, { fromRevision: 1, maxCount: 2 });
      expect(forwards.map((e) => e.type)).toEqual(['e1', 'e2']);

      const tail = await store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 2 });
      expect(tail.map((e) => e.type)).toEqual(['e4', 'e3']);

      const backwardsFrom = await store.readStream(stream, { direction: 'backwards', fromRevision: 2, maxCount: 10 });
      expect(backwardsFrom.map((e) => e.type)).toEqual(['e2', 'e1', 'e0']);

      expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
    });

    it('reads all streams in one total order from an inclusive position with a count', async () => {
      const a = uniqueStream('order');
      const b = uniqueStream('order');
      const first = await store.append(a, [newEvent('a0')], 'no_stream');
      await store.append(b, [newEvent('b0')], 'no_stream');
      await store.append(a, [newEvent('a1'), newEvent('a2')], 0);

      const all = await store.readAll({ fromPosition: first.position, maxCount: 4 });
      expect(all.map((e) => e.type)).toEqual(['a0', 'b0', 'a1', 'a2']);
      expect(all.map((e) => e.streamId)).toEqual([a, b, a, a]);
      for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);

      const fromSecond = await store.readAll({ fromPosition: all[1].position, maxCount: 2 });
      expect(fromSecond.map((e) => e.type)).toEqual(['b0', 'a1']);
    });

    it('reads only the events whose type starts with a given prefix, counting only those', async () => {
      const a = uniqueStream('typed');
      const b = uniqueStream('typed');
      const first = await store.append(a, [newEvent('typed.kept.one'), newEvent('typed.dropped')], 'no_stream');
      await store.append(b, [newEvent('typed.kept.two'), newEvent('other.kept'), newEvent('typed.kept.three')], 'no_stream');

      const from = first.events[0].position;
      const kept = await store.readAll({ fromPosition: from, typePrefixes: ['typed.kept.', 'other.'] });
      expect(kept.map((e) => e.type)).toEqual(['typed.kept.one', 'typed.kept.two', 'other.kept', 'typed.kept.three']);
      expect(kept.map((e) => e.streamId)).toEqual([a, b, b, b]);

      const firstTwo = await store.readAll({ fromPosition: from, maxCount: 2, typePrefixes: ['typed.kept.'] });
      expect(firstTwo.map((e) => e.type)).toEqual(['typed.kept.one', 'typed.kept.two']);
      await expect(store.readAll({ fromPosition: from, typePrefixes: ['no.such.'] })).resolves.toEqual([]);
    });

    it('finds stored events by id inside a stream', async () => {
      const stream = uniqueStream();
      const events = [newEvent('x'), newEvent('y'), newEvent('z')];
      const appended = await store.append(stream, events, 'no_stream');
      const found = await store.findInStream(stream, [events[2].id, events[0].id, randomUUID()]);
      expect(found.map((e) => e.id).sort()).toEqual([events[0].id, events[2].id].sort());
      const z = found.find((e) => e.id === events[2].id)!;
      expect(z.revision).toBe(2);
      expect(z.position).toBe(appended.events[2].position);
      expect(await store.findInStream(uniqueStream(), [events[0].id])).toEqual([]);
    });

    it('subscribes after a position: catches up, then delivers live events in order', async () => {
      const stream = uniqueStream('sub');
      const before = await store.append(stream, [newEvent('s0'), newEvent('s1')], 'no_stream');
      const subscription = store.subscribe({ afterPosition: before.events[0].position });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        const caughtUp = await collect(iterator, 1);
        expect(caughtUp.map((e) => e.type)).toEqual(['s1']);

        await store.append(stream, [newEvent('s2')], 1);
        await store.append(stream, [newEvent('s3'), newEvent('s4')], 2);
        const live = await collect(iterator, 3);
        expect(live.map((e) => e.type)).toEqual(['s2', 's3', 's4']);
        expect(live.map((e) => e.revision)).toEqual([2, 3, 4]);
        expect(live[0].position).toBeGreaterThan(before.position);
      } finally {
        await subscription.close();
      }
    });

    it('subscribes from the beginning when no position is given', async () => {
      const stream = uniqueStream('sub-all');
      await store.append(stream, [newEvent('first-of-stream')], 'no_stream');
      const subscription = store.subscribe();
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        const seen: RecordedEvent[] = [];
        while (!seen.some((e) => e.streamId === stream)) seen.push(...(await collect(iterator, 1)));
        const positions = seen.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(seen.every((e) => !e.type.startsWith('$'))).toBe(true);
      } finally {
        await subscription.close();
      }
    });

    it('ends the iteration when a subscription is closed', async () => {
      const subscription = store.subscribe();
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = (async () => {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return 'ended';
        }
      })();
      await subscription.close();
      await expect(pending).resolves.toBe('ended');
    });

    it("reports a stream's newest revision, and -1 for a stream with no events", async () => {
      const stream = uniqueStream('revision');
      await expect(store.streamRevision(stream)).resolves.toBe(-1);
      await store.append(stream, [newEvent(), newEvent()], 'no_stream');
      await store.append(stream, [newEvent()], 1);
      await expect(store.streamRevision(stream)).resolves.toBe(2);
    });

    it('reports the position of the newest event', async () => {
      const result = await store.append(uniqueStream('head'), [newEvent(), newEvent()], 'no_stream');
      await expect(store.headPosition()).resolves.toBe(result.position);
    });

    it('answers ping while reachable', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
