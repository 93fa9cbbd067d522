import { randomUUID } from 'node:crypto';
import { enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

/** CloudEvents HTTP protocol binding §3.1: binary content mode. */
function binaryHeaders(event: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'datacontenttype') continue;
    headers[`ce-${name}`] = encodeURIComponent(String(value));
  }
  return { ...headers, ...extra };
}

describe('ingestion: CloudEvents binary content mode', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger();
  });
  afterAll(async () => ledger?.stop());

  it('takes the attributes from ce- headers and the body as data, and records the same event as structured mode', async () => {
    const subject = `u-${randomUUID()}`;
    const event = enrolledEvent(subject, { source: 'https://okta.example.com/tenant 1', correlationid: 'corr-7' });
    const recorded = await ledger.post(event.data, 'application/json', binaryHeaders(event));
    expect(recorded.status).toBe(201);
    expect(recorded.body.results).toEqual([expect.objectContaining({ id: event.id, source: event.source, status: 'recorded' })]);
    // The same event in structured mode is a retry of it: same (source, id), same content.
    const retried = await ledger.post(event, 'application/cloudevents+json');
    expect(retried.status).toBe(200);
    expect(retried.body.results[0].status).toBe('duplicate');
    const stored = (await ledger.get(`/v1/subjects/${subject}/events`)).body.events;
    expect(stored[0]).toMatchObject({ id: event.id, type: event.type, data: event.data });
  });

  it('checks binary-mode events like any other, naming the attribute', async () => {
    const event = enrolledEvent(`u-${randomUUID()}`);
    const missingTime = binaryHeaders(event);
    delete missingTime['ce-time'];
    const refused = await ledger.post(event.data, 'application/json', missingTime);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toContainEqual({ index: 0, field: 'time', reason: expect.any(String) });

    const badEncoding = await ledger.post(event.data, 'application/json', binaryHeaders(event, { 'ce-id': '%E0%A4%A' }));
    expect(badEncoding.status).toBe(400);
    expect(badEncoding.body.errors).toContainEqual({ index: 0, field: 'id', reason: expect.stringMatching(/percent-encoded/) });

    const reserved = await ledger.post(event.data, 'application/json', binaryHeaders(event, { 'ce-source': 'assurance-ledger' }));
    expect(reserved.status).toBe(400);
    expect(reserved.body.errors).toContainEqual({ index: 0, field: 'source', reason: expect.stringMatching(/reserved/) });

    const nul = await ledger.post(event.data, 'application/json', binaryHeaders(event, { 'ce-id': 'a%00b' }));
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toContainEqual({ index: 0, field: 'id', reason: expect.stringMatching(/control characters/) });

    const wrongData = await ledger.post({ ...event.data, kind: 'carrier-pigeon' }, 'application/json', binaryHeaders(event));
    expect(wrongData.status).toBe(400);
    expect(wrongData.body.errors).toContainEqual({ index: 0, field: 'data.kind', reason: expect.any(String) });
  });

  it('stays in structured mode for application/cloudevents+json even when ce- headers are sent', async () => {
    const event = enrolledEvent(`u-${randomUUID()}`);
    const structured = await ledger.post(event, 'application/cloudevents+json', { 'ce-specversion': '1.0', 'ce-id': 'ignored' });
    expect(structured.status).toBe(201);
    expect(structured.body.results[0].id).toBe(event.id);
  });
});
