import { randomUUID } from 'node:crypto';
import { authenticationSucceeded, CloudEventBody, enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

/** The value of one series in Prometheus text format; 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) return Number(line.split(' ').pop());
  }
  return 0;
}

function fallbackUsed(subject: string): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type: 'assurance.fallback.used',
    subject,
    time: '2026-11-04T10:00:00Z',
    data: { applicationId: 'legacy-erp', channel: 'web', intendedMethod: 'passkey-synced', usedMethod: 'password', reason: 'no passkey' },
  };
}

describe('metrics: /metrics in Prometheus text format', () => {
  let ledger: RunningLedger;
  const scrape = async () => {
    const response = await fetch(`${ledger.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    ledger = await startLedger();
  });
  afterAll(async () => ledger?.stop());

  it('exposes every named metric without a key, and each moves with what the ledger does', async () => {
    const before = await scrape();
    for (const name of [
      'ledger_events_ingested_total',
      'ledger_decisions_total',
      'ledger_http_request_duration_seconds',
      'ledger_projection_lag_events',
      'ledger_projection_lag_seconds',
      'ledger_review_cases_open',
    ]) {
      expect(before).toContain(`# TYPE ${name} `);
    }

    const subject = `m-${randomUUID()}`;
    const recorded = await ledger.post(
      [enrolledEvent(subject), authenticationSucceeded(subject), fallbackUsed(subject)],
      'application/cloudevents-batch+json',
    );
    expect(recorded.status).toBe(201);
    const decided = await ledger.request('POST', '/v1/decisions', {
      as: 'emitter',
      body: { subjectId: subject, channel: 'web', applicationId: 'payroll', context: { signals: [] } },
    });
    expect(decided.status).toBe(201);
    // Wait until the read models include everything, so the gauges read from them are current.
    expect((await ledger.get(`/v1/reviews?minPosition=${decided.body.position}`)).status).toBe(200);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('ledger_events_ingested_total', { type: 'assurance.authenticator.enrolled' })).toBe(1);
    expect(moved('ledger_events_ingested_total', { type: 'assurance.fallback.used' })).toBe(1);
    expect(moved('ledger_events_ingested_total', { type: 'assurance.authentication.evaluated' })).toBe(1);
    expect(moved('ledger_decisions_total', { kind: 'access', outcome: decided.body.decision })).toBe(1);
    expect(moved('ledger_decisions_total', { kind: 'authentication' })).toBe(1);
    expect(moved('ledger_http_request_duration_seconds_count', { method: 'POST', route: '/v1/events', status: '201' })).toBe(1);
    expect(moved('ledger_http_request_duration_seconds_count', { method: 'POST', route: '/v1/decisions', status: '201' })).toBe(1);
    // Route templates, never raw paths: an id in a label would make one series per subject.
    expect(after).not.toContain(subject);
    expect(moved('ledger_review_cases_open', { kind: 'fallback' })).toBe(1);
    expect(sample(after, 'ledger_projection_lag_events', { projection: 'review-queue' })).toBe(0);

    // A duplicate is not ingested twice; a refused request is still timed.
    const refused = await ledger.post({ ...enrolledEvent(subject), time: 'not a time' });
    expect(refused.status).toBe(400);
    const last = await scrape();
    expect(sample(last, 'ledger_http_request_duration_seconds_count', { method: 'POST', route: '/v1/events', status: '400' })).toBe(1);
    expect(sample(last, 'ledger_events_ingested_total', { type: 'assurance.authenticator.enrolled' })).toBe(
      sample(after, 'ledger_events_ingested_total', { type: 'assurance.authenticator.enrolled' }),
    );
  });

  it('reports projection lag in events and seconds when the read models fall behind', async () => {
    // An `api` process on the same files runs no runner: stop the `all` process and what it writes stays unprojected.
    await ledger.stop({ keepFiles: true });
    const reader = await startLedger({
      LEDGER_ROLE: 'api',
      LEDGER_SQLITE_PATH: ledger.config.sqlitePath,
      LEDGER_READ_MODEL_PATH: ledger.config.readModelPath,
    });
    try {
      await reader.post(enrolledEvent(`m-${randomUUID()}`));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const text = await (await fetch(`${reader.url}/metrics`)).text();
      expect(sample(text, 'ledger_projection_lag_events', { projection: 'subject-state' })).toBe(1);
      expect(sample(text, 'ledger_projection_lag_seconds', { projection: 'subject-state' })).toBeGreaterThanOrEqual(1);
      expect(text).toContain('role="api"');
    } finally {
      await reader.stop();
    }
  });
});
