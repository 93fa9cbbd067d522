import { createHash } from 'node:crypto';
import { RecordedEvent } from '../event-store.port';
import { chainEvents, EMPTY_STREAM_TAIL } from './chain-events';
import { CHECKPOINT_STREAM, digestAt, StreamHeads } from './checkpoint-digest';

function chain(streamId: string, count: number, firstPosition: number): RecordedEvent[] {
  const drafts = Array.from({ length: count }, (_, i) => ({ id: `${streamId}-${i}`, type: 't', data: { i }, metadata: {} }));
  return chainEvents(streamId, EMPTY_STREAM_TAIL, drafts).map((event, revision) => ({
    ...event,
    streamId,
    revision,
    position: firstPosition + revision,
    recordedAt: new Date(0),
  }));
}

async function* from(events: RecordedEvent[]): AsyncGenerator<RecordedEvent> {
  yield* [...events].sort((a, b) => a.position - b.position);
}

describe('checkpoint digests', () => {
  const alice = chain('subject-alice', 3, 1);
  const bob = chain('subject-bob', 2, 10);
  const all = [...alice, ...bob];

  it('is SHA-256 over the documented lines, so an auditor can recompute it without the ledger', async () => {
    const expected = createHash('sha256')
      .update(`11\nsubject-alice\t2\t${alice[2].metadata.hash}\nsubject-bob\t1\t${bob[1].metadata.hash}\n`)
      .digest('hex');
    await expect(digestAt(from(all), 11)).resolves.toMatchObject({ position: 11, digest: expected, streamCount: 2, eventCount: 5 });
  });

  it('changes when a trailing event is deleted, a stream is removed or one is added', async () => {
    const original = (await digestAt(from(all), 11)).digest;
    expect((await digestAt(from(all.filter((event) => event !== bob[1])), 11)).digest).not.toBe(original);
    expect((await digestAt(from(alice), 11)).digest).not.toBe(original);
    expect((await digestAt(from([...all, ...chain('subject-mallory', 1, 5)]), 11)).digest).not.toBe(original);
  });

  it('covers only events at or before its position and leaves out the checkpoint stream', async () => {
    const checkpoint = chain(CHECKPOINT_STREAM, 1, 12);
    const later = chain('subject-carol', 1, 20);
    const atEleven = await digestAt(from(all), 11);
    expect(await digestAt(from([...all, ...checkpoint, ...later]), 11)).toEqual(atEleven);
    const heads = new StreamHeads();
    for (const event of [...all, ...checkpoint]) heads.apply(event);
    expect(heads.digest(11).digest).toBe(atEleven.digest);
  });
});
