import Database from 'better-sqlite3';
import { sqliteOnly } from '../support/e2e-store';
import { randomUUID } from 'node:crypto';
import { authenticationSucceeded, enrolledEvent, sessionStarted } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

function newSubject(): string {
  return `u-${randomUUID()}`;
}

describe('ingestion API (SQLite store)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_BODY_LIMIT_BYTES: String(1024 * 1024) });
  });
  afterAll(async () => {
    await ledger.stop();
  });

  /** What emitters wrote; the ledger's own verdicts sit between them in the stream. */
  async function storedEvents(subject: string): Promise<any[]> {
    const response = await ledger.get(`/v1/subjects/${subject}/events?limit=1000`);
    return response.status === 404 ? [] : response.body.events.filter((event: any) => event.source !== 'assurance-ledger');
  }

  it('records an enrollment and returns it from the subject stream with revision, position and hash', async () => {
    const subject = newSubject();
    const event = enrolledEvent(subject);
    const posted = await ledger.post(event);
    expect(posted.status).toBe(201);
    expect(posted.body.results).toEqual([
      {
        id: event.id,
        source: event.source,
        status: 'recorded',
        stream: `subject-${subject}`,
        revision: 0,
        position: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    const read = await ledger.get(`/v1/subjects/${subject}/events`);
    expect(read.status).toBe(200);
    expect(read.body.events).toHaveLength(1);
    expect(read.body.events[0]).toMatchObject({
      revision: 0,
      position: posted.body.results[0].position,
      hash: posted.body.results[0].hash,
      prevHash: '0'.repeat(64),
      id: event.id,
      source: event.source,
      type: 'assurance.authenticator.enrolled',
      time: event.time,
      schemaVersion: 2,
      data: event.data,
    });
    expect(Date.parse(read.body.events[0].recordedAt)).not.toBeNaN();
  });

  it('accepts plain application/json in structured mode and records correlation ids', async () => {
    const subject = newSubject();
    const posted = await ledger.post(enrolledEvent(subject), 'application/json', { 'x-correlation-id': 'login-flow-42' });
    expect(posted.status).toBe(201);
    const [stored] = await storedEvents(subject);
    expect(stored.correlationId).toBe('login-flow-42');
    expect(stored.causationId).toEqual(expect.any(String));
  });

  it('answers a repeated batch with 200 duplicate and the original positions, storing nothing new', async () => {
    const subject = newSubject();
    const batch = [enrolledEvent(subject), authenticationSucceeded(subject), authenticationSucceeded(subject)];
    const first = await ledger.post(batch, BATCH);
    expect(first.status).toBe(201);
    expect(first.body.results.map((r: any) => r.status)).toEqual(['recorded', 'recorded', 'recorded']);
    // Each authentication is followed by the ledger's verdict on it.
    expect(first.body.results.map((r: any) => r.revision)).toEqual([0, 1, 3]);

    const second = await ledger.post(batch, BATCH);
    expect(second.status).toBe(200);
    expect(second.body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    for (const [i, result] of second.body.results.entries()) {
      expect(result).toMatchObject({
        stream: first.body.results[i].stream,
        revision: first.body.results[i].revision,
        position: first.body.results[i].position,
        hash: first.body.results[i].hash,
      });
    }
    expect(await storedEvents(subject)).toHaveLength(3);
  });

  it('records the new events of a partly repeated batch and reports the rest as duplicates', async () => {
    const subject = newSubject();
    const known = enrolledEvent(subject);
    await ledger.post(known);
    const fresh = authenticationSucceeded(subject);
    const mixed = await ledger.post([known, fresh, fresh], BATCH);
    expect(mixed.status).toBe(201);
    expect(mixed.body.results.map((r: any) => [r.status, r.revision])).toEqual([
      ['duplicate', 0],
      ['recorded', 1],
      ['duplicate', 1],
    ]);
    expect(await storedEvents(subject)).toHaveLength(2);
  });

  it('refuses the same source and id with different content with 409, storing nothing', async () => {
    const subject = newSubject();
    const original = enrolledEvent(subject);
    await ledger.post(original);
    const changed = { ...original, data: { ...original.data, kind: 'sms', phishingResistant: false } };
    const conflict = await ledger.post([authenticationSucceeded(subject), changed], BATCH);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('idempotency-key-reused');
    expect(conflict.body.conflicts).toEqual([{ index: 1, id: original.id, source: original.source }]);
    expect(await storedEvents(subject)).toHaveLength(1);
  });

  it('refuses a batch with one invalid event with 400 naming index and field, and stores none of it', async () => {
    const subject = newSubject();
    const bad = authenticationSucceeded(subject);
    (bad.data as any).methods = [
      { kind: 'security-key', amr: ['hwk'] },
      { kind: 'carrier-pigeon', amr: ['hwk'] },
    ];
    const batch = [enrolledEvent(subject), authenticationSucceeded(subject), bad];
    const response = await ledger.post(batch, BATCH);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ index: 2, field: 'data.methods[1].kind', reason: expect.stringContaining('passkey-synced') }),
    ]);
    expect(await storedEvents(subject)).toEqual([]);
  });

  it('refuses an unknown type with 400 listing the catalog', async () => {
    const response = await ledger.post(enrolledEvent(newSubject(), { type: 'assurance.password.guessed' }));
    expect(response.status).toBe(400);
    const typeIssue = response.body.errors.find((issue: any) => issue.field === 'type');
    expect(typeIssue.reason).toContain('assurance.authenticator.enrolled');
    expect(typeIssue.reason).toContain('assurance.session.revoked');
  });

  it('names envelope fields that are missing or malformed, and unknown data properties', async () => {
    const event: any = enrolledEvent(newSubject(), { time: 'yesterday' });
    delete event.source;
    event.data.favouriteColour = 'blue';
    const response = await ledger.post(event);
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((issue: any) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['source', 'time', 'data.favouriteColour']));
  });

  it('answers 415 for an unsupported content type and 413 for an oversized body or batch', async () => {
    const wrongType = await ledger.post('hello', 'text/plain');
    expect(wrongType.status).toBe(415);
    const xml = await ledger.post('<event/>', 'application/xml');
    expect(xml.status).toBe(415);

    const huge = enrolledEvent(newSubject(), { padding: 'x'.repeat(1100 * 1024) } as any);
    expect((await ledger.post(huge)).status).toBe(413);

    const subject = newSubject();
    const tooMany = Array.from({ length: 1001 }, () =>
      authenticationSucceeded(subject, { data: { channel: 'web', applicationId: 'a', methods: [] } }),
    );
    const response = await ledger.post(tooMany, BATCH);
    expect(response.status).toBe(413);
    expect(response.body.detail).toContain('1000');
  });

  it('answers 400 for malformed JSON and for a batch sent as a single event', async () => {
    expect((await ledger.post('{"specversion": ', 'application/cloudevents+json')).status).toBe(400);
    const arrayAsStructured = await ledger.post([enrolledEvent(newSubject())], 'application/cloudevents+json');
    expect(arrayAsStructured.status).toBe(400);
    expect(arrayAsStructured.body.errors[0].reason).toContain(BATCH);
  });

  it('refuses a lifecycle contradiction (revoking an authenticator never enrolled) with 409', async () => {
    const subject = newSubject();
    const response = await ledger.post({
      ...enrolledEvent(subject),
      type: 'assurance.authenticator.revoked',
      data: { authenticatorId: 'never-seen', reason: 'lost' },
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('authenticator-not-active');
    expect(await storedEvents(subject)).toEqual([]);
  });

  // On EventStoreDB each idempotency check scans the subject's stream, so 1000 single appends to one stream take
  // minutes there; ingestion-eventstoredb.e2e-spec.ts runs the same contention at a smaller scale.
  sqliteOnly('gives 50 concurrent writers of 20 events each contiguous revisions 0..999 and a valid chain', async () => {
    const subject = newSubject();
    const writers = Array.from({ length: 50 }, async () => {
      for (let i = 0; i < 20; i++) {
        const response = await ledger.post(sessionStarted(subject));
        expect(response.status).toBe(201);
      }
    });
    await Promise.all(writers);

    const events: any[] = [];
    for (let from: number | null = 0; from !== null;) {
      const page: any = await ledger.get(`/v1/subjects/${subject}/events?fromRevision=${from}&limit=1000`);
      events.push(...page.body.events);
      from = page.body.nextRevision;
    }
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const verification = await ledger.get(`/v1/audit/verify?stream=subject-${subject}`);
    expect(verification.body).toMatchObject({ valid: true, eventsChecked: 1000, firstBreak: null });
  });

  it('pages subject events and answers 404 for an unknown subject', async () => {
    const subject = newSubject();
    await ledger.post([enrolledEvent(subject), sessionStarted(subject), sessionStarted(subject)], BATCH);
    const page = await ledger.get(`/v1/subjects/${subject}/events?limit=2`);
    expect(page.body.events.map((e: any) => e.revision)).toEqual([0, 1]);
    expect(page.body.nextRevision).toBe(2);
    const rest = await ledger.get(`/v1/subjects/${subject}/events?fromRevision=2&limit=2`);
    expect(rest.body.events.map((e: any) => e.revision)).toEqual([2]);
    expect(rest.body.nextRevision).toBeNull();
    expect((await ledger.get(`/v1/subjects/${newSubject()}/events`)).status).toBe(404);
    expect((await ledger.get(`/v1/subjects/${subject}/events?limit=5000`)).status).toBe(400);
  });

  it('publishes the catalog with a JSON Schema per type', async () => {
    const response = await ledger.get('/v1/event-types');
    expect(response.status).toBe(200);
    expect(response.body.types).toHaveLength(20);
    const enrolled = response.body.types.find((t: any) => t.type === 'assurance.authenticator.enrolled');
    expect(enrolled.schemaVersion).toBe(2);
    expect(Object.keys(enrolled.schema.properties)).toEqual(expect.arrayContaining(['sessionId', 'userNotified']));
    expect(JSON.stringify(enrolled.schema)).toContain('passkey-device-bound');
  });

  sqliteOnly('reports healthy while the store answers', async () => {
    const response = await ledger.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', details: { store: { status: 'up', kind: 'sqlite' } } });
  });
});

describe('ingestion API when the SQLite store is locked by another process', () => {
  sqliteOnly('answers 503 with Retry-After, and a retry of the same batch afterwards stores it exactly once', async () => {
    const ledger = await startLedger({ LEDGER_SQLITE_BUSY_TIMEOUT_MS: '200' });
    const subject = newSubject();
    const batch = [enrolledEvent(subject), authenticationSucceeded(subject)];
    const other = new Database(ledger.config.sqlitePath);
    try {
      other.exec('BEGIN IMMEDIATE');
      const refused = await ledger.post(batch, BATCH);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await ledger.get('/health')).status).toBe(200);
      other.exec('ROLLBACK');

      const retried = await ledger.post(batch, BATCH);
      expect(retried.status).toBe(201);
      const again = await ledger.post(batch, BATCH);
      expect(again.status).toBe(200);
      const stored = await ledger.get(`/v1/subjects/${subject}/events`);
      expect(stored.body.events.map((event: any) => event.id)).toEqual([batch[0].id, batch[1].id, `${batch[1].id}#verdict`]);
    } finally {
      other.close();
      await ledger.stop();
    }
  });
});

describe('HTTP hygiene', () => {
  it('sets security headers on every answer', async () => {
    const ledger = await startLedger();
    try {
      // An answer, a refusal and a route that does not exist all carry them.
      for (const response of [
        await ledger.get('/health'),
        await fetch(`${ledger.url}/v1/events`, { method: 'POST' }),
        await ledger.get('/no-such-route'),
      ]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.get('strict-transport-security')).toContain('max-age=');
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      }
    } finally {
      await ledger.stop();
    }
  });
});
