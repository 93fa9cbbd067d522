import { randomUUID } from 'node:crypto';
import { enrolledEvent } from '../support/cloud-events';
import { LedgerResponse, RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

/** RFC 9457 members every error carries, with the ledger's code and field list. */
function expectProblem(response: LedgerResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: `urn:assurance-ledger:problem:${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    errors: expect.any(Array),
    requestId: response.headers.get('x-request-id'),
  });
}

describe('errors: one RFC 9457 problem shape from every source', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '200', LEDGER_BODY_LIMIT_BYTES: '4096', LEDGER_CONSISTENCY_WAIT_MS: '50' });
  });
  afterAll(async () => ledger?.stop());

  it('names the field and the reason for an invalid event, a query parameter and a JSON body', async () => {
    const invalidEvent = await ledger.post([enrolledEvent('p-1'), { ...enrolledEvent('p-1'), time: 'yesterday' }], BATCH);
    expectProblem(invalidEvent, 400, 'invalid-events');
    expect(invalidEvent.body.errors).toEqual([{ index: 1, field: 'time', reason: expect.any(String) }]);

    const badQuery = await ledger.get('/v1/subjects?limit=0');
    expectProblem(badQuery, 400, 'invalid-request');
    expect(badQuery.body.errors).toEqual([{ field: 'limit', reason: expect.any(String) }]);

    const badBody = await ledger.request('POST', '/v1/decisions', {
      as: 'emitter',
      body: { subjectId: 'p-1', channel: 'carrier-pigeon', applicationId: 'erp' },
    });
    expectProblem(badBody, 400, 'invalid-request');
    expect(badBody.body.errors).toContainEqual({ field: 'channel', reason: expect.any(String) });
  });

  it('answers malformed JSON, an unknown content type and an oversized body as problems', async () => {
    const malformed = await ledger.post('{"specversion":', 'application/cloudevents+json');
    expectProblem(malformed, 400, 'invalid-request');
    expectProblem(await ledger.post('<event/>', 'application/xml'), 415, 'unsupported-media-type');
    const oversized = await ledger.post({ ...enrolledEvent('p-2'), data: { padding: 'x'.repeat(5000) } });
    expectProblem(oversized, 413, 'payload-too-large');
  });

  it('answers missing and insufficient keys, unknown routes and conflicts as problems', async () => {
    const anonymous = await ledger.get('/v1/subjects', null);
    expectProblem(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expectProblem(await ledger.get('/v1/subjects', 'emitter'), 403, 'forbidden');
    expectProblem(await ledger.get('/v1/no-such-route'), 404, 'not-found');
    expectProblem(await ledger.get(`/v1/subjects/${randomUUID()}/events`), 404, 'not-found');

    const original = enrolledEvent(`p-${randomUUID()}`);
    await ledger.post(original);
    const reused = await ledger.post({ ...original, data: { ...original.data, kind: 'smart-card' } });
    expectProblem(reused, 409, 'idempotency-key-reused');
    expect(reused.body.conflicts).toEqual([{ index: 0, id: original.id, source: original.source }]);
  });

  it('keeps Retry-After on 503 when the read models are behind', async () => {
    const behind = await ledger.get(`/v1/subjects?minPosition=${Number.MAX_SAFE_INTEGER}`);
    expectProblem(behind, 503, 'read-model-behind');
    expect(behind.headers.get('retry-after')).toBe('1');
  });

  it("echoes the caller's request and correlation ids on every answer", async () => {
    const response = await ledger.request('GET', '/v1/subjects', {
      as: null,
      headers: { 'x-request-id': 'req-42', 'x-correlation-id': 'flow-7' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(response.headers.get('x-correlation-id')).toBe('flow-7');
    expect(response.body.requestId).toBe('req-42');
    // An id that could forge a log line is replaced, not echoed.
    const forged = await ledger.request('GET', '/health/live', { as: null, headers: { 'x-request-id': 'a"}\\n{"level":60' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors: the rate limit as a problem', () => {
  it('answers 429 with Retry-After in the problem shape', async () => {
    const ledger = await startLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '1' });
    try {
      expect((await ledger.get('/v1/policy', 'auditor')).status).toBe(200);
      const limited = await ledger.get('/v1/policy', 'auditor');
      expectProblem(limited, 429, 'rate-limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await ledger.stop();
    }
  });
});
