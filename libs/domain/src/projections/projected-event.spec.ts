import { normalizedTime, occurredAtOf, toSubjectEvent } from './projected-event';

describe('normalizedTime', () => {
  it('writes every RFC 3339 time the way toISOString does, so that times compare as strings', () => {
    expect(normalizedTime('2026-11-02T09:15:00Z')).toBe('2026-11-02T09:15:00.000Z');
    expect(normalizedTime('2026-11-02T09:15:00.123Z')).toBe('2026-11-02T09:15:00.123Z');
    expect(normalizedTime('2026-11-02T10:15:00+01:00')).toBe('2026-11-02T09:15:00.000Z');
    expect(normalizedTime('2026-11-02T09:15:00.5Z')).toBe('2026-11-02T09:15:00.500Z');
    expect(normalizedTime('not a time')).toBeUndefined();
    expect(normalizedTime(42)).toBeUndefined();
  });

  it('falls back to the ledger clock when the emitter gave no usable time', () => {
    const recordedAt = new Date('2026-11-03T00:00:00Z');
    const event = { streamId: 'subject-a', revision: 0, position: 1, type: 'x', data: {}, metadata: {}, recordedAt };
    expect(occurredAtOf(event)).toBe('2026-11-03T00:00:00.000Z');
  });
});

describe('toSubjectEvent', () => {
  const base = {
    streamId: 'subject-a',
    revision: 3,
    position: 9,
    recordedAt: new Date(),
    metadata: { schemaVersion: 1, time: '2026-11-02T09:15:00Z' },
  };

  it('passes catalog and ledger events to evolve with their revision and time', () => {
    expect(toSubjectEvent({ ...base, type: 'assurance.breakglass.used', data: { accountId: 'root', reason: 'outage' } })).toEqual({
      type: 'assurance.breakglass.used',
      data: { accountId: 'root', reason: 'outage' },
      time: '2026-11-02T09:15:00Z',
      revision: 3,
    });
    expect(toSubjectEvent({ ...base, type: 'assurance.access.decided', data: { decision: 'deny' } })?.type).toBe(
      'assurance.access.decided',
    );
  });

  it('leaves out types this code does not know', () => {
    expect(toSubjectEvent({ ...base, type: 'vendor.something.happened', data: {} })).toBeUndefined();
  });
});
