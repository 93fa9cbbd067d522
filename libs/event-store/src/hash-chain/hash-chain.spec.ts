import { RecordedEvent } from '../event-store.port';
import { chainEvents, EMPTY_STREAM_TAIL } from './chain-events';
import { computeEventHash, GENESIS_HASH } from './event-hash';
import { verifyAllStreams, verifyStreamChain } from './verify-chain';

const STREAM = 'subject-alice';

function storedChain(count: number, streamId = STREAM): RecordedEvent[] {
  const drafts = Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    type: 'assurance.authenticator.enrolled',
    data: { authenticatorId: `key-${i}`, kind: 'security-key' },
    metadata: { source: 'idp', recordedAt: '2026-01-01T00:00:00.000Z' },
  }));
  return chainEvents(streamId, EMPTY_STREAM_TAIL, drafts).map((event, revision) => ({
    ...event,
    streamId,
    revision,
    position: 100 + revision,
    recordedAt: new Date(0),
  }));
}

describe('hash chain', () => {
  it('links each event to the previous one, starting from the genesis hash', () => {
    const events = storedChain(3);
    expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
    expect(events[2].metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the canonical form, so key order does not change the hash', () => {
    const base = { streamId: STREAM, revision: 0, type: 't', prevHash: GENESIS_HASH };
    const a = computeEventHash({ ...base, data: { a: 1, b: { c: 2, d: 3 } }, metadata: { x: 1, y: 2 } });
    const b = computeEventHash({ ...base, data: { b: { d: 3, c: 2 }, a: 1 }, metadata: { y: 2, x: 1 } });
    expect(a).toBe(b);
  });

  it('covers stream, revision, type, data, metadata and prevHash', () => {
    const base = { streamId: STREAM, revision: 0, type: 't', data: { a: 1 }, metadata: { m: 1 }, prevHash: GENESIS_HASH };
    const original = computeEventHash(base);
    const variants = [
      { ...base, streamId: 'subject-bob' },
      { ...base, revision: 1 },
      { ...base, type: 'u' },
      { ...base, data: { a: 2 } },
      { ...base, metadata: { m: 2 } },
      { ...base, prevHash: 'f'.repeat(64) },
    ];
    for (const variant of variants) expect(computeEventHash(variant)).not.toBe(original);
    expect(computeEventHash({ ...base, metadata: { m: 1, hash: 'anything' } })).toBe(original);
  });

  it('verifies an intact stream and reports its last hash', async () => {
    const events = storedChain(4);
    const result = await verifyStreamChain(STREAM, events);
    expect(result).toMatchObject({ valid: true, eventsChecked: 4, firstBreak: null, lastHash: events[3].metadata.hash });
  });

  it('reports the first revision whose content was changed', async () => {
    const events = storedChain(4);
    events[2] = { ...events[2], data: { ...events[2].data, kind: 'sms' } };
    const result = await verifyStreamChain(STREAM, events);
    expect(result.valid).toBe(false);
    expect(result.firstBreak).toMatchObject({
      streamId: STREAM,
      revision: 2,
      reason: 'hash-mismatch',
      actualHash: events[2].metadata.hash,
    });
    expect(result.firstBreak!.expectedHash).not.toBe(events[2].metadata.hash);
  });

  it("reports a rewritten hash through the next event's prevHash", async () => {
    const events = storedChain(3);
    const forged = { ...events[1].metadata, hash: 'a'.repeat(64) };
    events[1] = { ...events[1], metadata: forged };
    const result = await verifyStreamChain(STREAM, events);
    expect(result.firstBreak).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
  });

  it('reports a deleted event as a revision gap', async () => {
    const events = storedChain(3);
    const result = await verifyStreamChain(STREAM, [events[0], events[2]]);
    expect(result.firstBreak).toMatchObject({ revision: 1, reason: 'revision-gap' });
  });
});

describe('verifying the whole store', () => {
  it('checks interleaved streams and reports the first broken one', async () => {
    const alice = storedChain(3);
    const bob = storedChain(2, 'subject-bob');
    const intact = await verifyAllStreams(
      (async function* () {
        yield* [alice[0], bob[0], alice[1], bob[1], alice[2]];
      })(),
    );
    expect(intact).toMatchObject({ valid: true, streamsChecked: 2, eventsChecked: 5, firstBreak: null, brokenStreams: 0 });

    const tampered = (async function* () {
      yield* [alice[0], { ...alice[1], type: 'assurance.authenticator.revoked' }, alice[2], ...bob];
    })();
    const result = await verifyAllStreams(tampered);
    expect(result).toMatchObject({ valid: false, brokenStreams: 1, firstBreak: { streamId: STREAM, revision: 1 } });
  });
});
