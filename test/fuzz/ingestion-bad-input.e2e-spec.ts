import * as fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { authenticationSucceeded, CloudEventBody, enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const CASES = 2000;

interface BadRequest {
  kind: string;
  contentType: string;
  body: string | Buffer;
}

const json = (value: unknown) => JSON.stringify(value);
const structured = (kind: string, body: string | Buffer): BadRequest => ({ kind, contentType: 'application/cloudevents+json', body });

/** A fresh valid event each time, so that only the mutation can make it invalid. */
const validEvent = fc.constantFrom('enrolled', 'authentication').map((which): CloudEventBody => {
  const subject = `fuzz-${randomUUID()}`;
  return which === 'enrolled' ? enrolledEvent(subject) : authenticationSucceeded(subject);
});

const requiredEnvelopeFields = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'];
const requiredDataFields: Record<string, string[]> = {
  'assurance.authenticator.enrolled': ['authenticatorId', 'kind', 'phishingResistant', 'hardwareBound', 'syncable', 'userVerification'],
  'assurance.authentication.succeeded': ['channel', 'applicationId', 'methods'],
};
/** A value of a type each field never accepts. */
const wrongTypeFor: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
  source: fc.oneof(fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string())),
  subject: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.integer())),
  time: fc.oneof(fc.integer(), fc.constant(null), fc.boolean()),
  data: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer())),
  'data.authenticatorId': fc.oneof(fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string())),
  'data.phishingResistant': fc.oneof(fc.constantFrom('true', 'false', 'yes', '1'), fc.integer()),
  'data.channel': fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.constant('web'))),
  'data.methods': fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string())),
};

function setPath(target: any, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop()!;
  const parent = parts.reduce((node, key) => node[key], target);
  parent[last] = value;
}

const badRequests: fc.Arbitrary<BadRequest> = fc.oneof(
  // wrong types
  validEvent.chain((event) => {
    const paths = Object.keys(wrongTypeFor).filter((path) => !path.startsWith('data.') || path.slice(5) in event.data);
    return fc.constantFrom(...paths).chain((path) =>
      wrongTypeFor[path].map((value) => {
        setPath(event, path, value);
        return structured('wrong type', json(event));
      }),
    );
  }),
  // missing fields
  fc.tuple(validEvent, fc.boolean(), fc.nat()).map(([event, inData, pick]) => {
    const fields = inData ? requiredDataFields[event.type] : requiredEnvelopeFields;
    const field = fields[pick % fields.length];
    delete (inData ? event.data : event)[field];
    return structured('missing field', json(event));
  }),
  // unknown fields: inside data always; at the top only names CloudEvents forbids as extensions
  fc.tuple(validEvent, fc.string({ minLength: 1, maxLength: 30 }), fc.jsonValue(), fc.boolean()).map(([event, name, value, top]) => {
    if (top) (event as any)[`X-${name}`] = value;
    else (event.data as any)[`unknown_${name}`] = value;
    return structured('unknown field', json(event));
  }),
  // huge strings, past every bound
  fc
    .tuple(
      validEvent,
      fc.constantFrom('id', 'source', 'subject', 'data.authenticatorId', 'data.applicationId'),
      fc.integer({ min: 1001, max: 20_000 }),
    )
    .map(([event, path, length]) => {
      if (path.startsWith('data.') && !(path.slice(5) in event.data)) path = 'subject';
      setPath(event, path, 'x'.repeat(length));
      return structured('huge string', json(event));
    }),
  // deep nesting where a scalar belongs
  fc.tuple(validEvent, fc.integer({ min: 2, max: 3000 })).map(([event, depth]) => {
    const nested = '['.repeat(depth) + '1' + ']'.repeat(depth);
    const text = json({ ...event, data: { ...event.data, applicationId: '__NESTED__', authenticatorId: '__NESTED__' } })
      .split('"__NESTED__"')
      .join(nested);
    return structured('deep nesting', text);
  }),
  // prototype-pollution keys, at the top and inside data
  fc.tuple(validEvent, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean()).map(([event, key, inData]) => {
    const payload = key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}';
    const text = inData ? json(event).replace('"data":{', `"data":{"${key}":${payload},`) : `{"${key}":${payload},${json(event).slice(1)}`;
    return structured('prototype pollution', text);
  }),
  // invalid UTF-8 inside a string value
  fc
    .tuple(validEvent, fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80]))
    .map(([event, bytes]) => {
      const [before, after] = json(event).split(event.id);
      return structured('invalid UTF-8', Buffer.concat([Buffer.from(before + 'id-'), Buffer.from(bytes), Buffer.from(after)]));
    }),
  // numbers and booleans as strings
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([ial, asBoolean]) => {
    const event: any = enrolledEvent(`fuzz-${randomUUID()}`);
    if (asBoolean) event.data.hardwareBound = 'true';
    else
      Object.assign(event, {
        type: 'assurance.identity.proofed',
        data: { ial: String(ial), method: 'document', evidence: ['passport'], proofedBy: 'hr' },
      });
    return structured('number as string', json(event));
  }),
  // dates out of range or not RFC 3339
  fc
    .tuple(
      validEvent,
      fc.constantFrom(
        '2026-13-01T00:00:00Z',
        '2026-02-30T00:00:00Z',
        '2026-01-01T25:00:00Z',
        '2026-01-01T10:61:00Z',
        '+275760-09-13T00:00:00Z',
        '0000-00-00T00:00:00Z',
        '2026-01-01',
        'yesterday',
        '1700000000',
      ),
    )
    .map(([event, time]) => structured('date out of range', json({ ...event, time }))),
  // 1001-event batches
  fc.constant(null).map(() => {
    const subject = `fuzz-${randomUUID()}`;
    const batch = Array.from({ length: 1001 }, () => ({
      ...authenticationSucceeded(subject),
      data: { channel: 'web', applicationId: 'a', methods: [] },
    }));
    return { kind: '1001-event batch', contentType: 'application/cloudevents-batch+json', body: json(batch) };
  }),
  // JSON bombs: nesting far past any parser's stack, or megabytes of keys
  fc.constantFrom(
    { kind: 'JSON bomb (depth)', contentType: 'application/cloudevents+json', body: '['.repeat(200_000) + ']'.repeat(200_000) },
    { kind: 'JSON bomb (depth, unclosed)', contentType: 'application/cloudevents-batch+json', body: '{"a":'.repeat(100_000) },
    {
      kind: 'JSON bomb (keys)',
      contentType: 'application/cloudevents+json',
      body: json({
        ...enrolledEvent(`fuzz-${randomUUID()}`),
        data: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      }),
    },
  ),
);

describe('bad input: property-based fuzzing of POST /v1/events', () => {
  let ledger: RunningLedger;
  let store: EventStore;

  beforeAll(async () => {
    ledger = await startLedger();
    store = ledger.app.get(EVENT_STORE);
  });
  afterAll(async () => ledger?.stop());

  it(`answers every one of ${CASES} malformed requests with a 4xx and stores nothing from them`, async () => {
    const statusesByKind = new Map<string, Map<number, number>>();
    let serverErrors = 0;
    await fc.assert(
      fc.asyncProperty(badRequests, async (request) => {
        const response = await fetch(`${ledger.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': request.contentType, ...ledger.auth('emitter') },
          body: request.body,
        });
        await response.arrayBuffer();
        const counts = statusesByKind.get(request.kind) ?? new Map<number, number>();
        counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
        statusesByKind.set(request.kind, counts);
        if (response.status >= 500) serverErrors++;
        return response.status >= 400 && response.status < 500;
      }),
      { numRuns: CASES, seed: 20261129 },
    );
    const stored = await store.readAll({ maxCount: 1 });
    const report = [...statusesByKind].map(([kind, counts]) => `${kind}: ${[...counts].map(([status, n]) => `${n}×${status}`).join(', ')}`);
    console.log(`fuzz: ${CASES} cases, ${serverErrors} responses 5xx, ${stored.length} events stored\n${report.join('\n')}`);
    expect(serverErrors).toBe(0);
    expect(stored).toEqual([]);
    expect(statusesByKind.size).toBeGreaterThanOrEqual(10);
  }, 240_000);
});
