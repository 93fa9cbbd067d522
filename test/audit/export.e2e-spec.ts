import { randomUUID } from 'node:crypto';
import { sqliteOnly } from '../support/e2e-store';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';
const INGESTED_TYPES =
  /^assurance\.(identity|authenticator|device|authentication\.(succeeded|failed)|stepup|fallback|recovery|breakglass|session)\b/;

async function exportLines(ledger: RunningLedger, query: string): Promise<{ status: number; contentType: string | null; lines: any[] }> {
  const response = await fetch(`${ledger.url}/v1/audit/export?${query}`, { headers: ledger.auth() });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    lines: response.ok
      ? text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [JSON.parse(text)],
  };
}

describe('audit export', () => {
  let ledger: RunningLedger;
  const subject = `u-${randomUUID()}`;
  const enrolled = enrolledEvent(subject, { time: '2026-03-01T08:00:00Z' });
  const march = authenticationSucceeded(subject, { time: '2026-03-02T08:00:00Z' });
  const april = authenticationSucceeded(subject, { time: '2026-04-02T08:00:00Z' });
  const revoked = {
    ...enrolledEvent(subject, { time: '2026-04-03T08:00:00Z' }),
    type: 'assurance.authenticator.revoked',
    data: { authenticatorId: enrolled.data.authenticatorId, reason: 'lost' },
  };

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_PSEUDONYMISATION_KEY: 'test-only-key' });
    expect((await ledger.post([enrolled, march, april, revoked], BATCH)).status).toBe(201);
  });
  afterAll(async () => ledger?.stop());

  it('streams every event as a CloudEvent line carrying its place in the ledger', async () => {
    const { status, contentType, lines } = await exportLines(ledger, 'format=jsonl');
    expect(status).toBe(200);
    expect(contentType).toContain('application/x-ndjson');
    const mine = lines.filter((line) => line.subject === subject && INGESTED_TYPES.test(line.type));
    expect(mine.map((line) => line.id)).toEqual([enrolled.id, march.id, april.id, revoked.id]);
    expect(mine[1]).toMatchObject({ specversion: '1.0', source: march.source, data: march.data, ledgerstream: `subject-${subject}` });
    expect(mine[1].ledgerhash).toMatch(/^[0-9a-f]{64}$/);
  });

  sqliteOnly('re-imports through the ingestion API into an empty ledger with the same events', async () => {
    const { lines } = await exportLines(ledger, 'format=jsonl');
    const reimport = await startLedger();
    try {
      const ingestable = lines.filter((line) => INGESTED_TYPES.test(line.type));
      const response = await reimport.post(ingestable, BATCH);
      expect(response.status).toBe(201);
      const original = (await ledger.get(`/v1/subjects/${subject}/events`)).body.events;
      const copy = (await reimport.get(`/v1/subjects/${subject}/events`)).body.events;
      const essence = (events: any[]) => events.map((event) => [event.type, event.id, event.source, event.time, event.data]);
      expect(essence(copy)).toEqual(essence(original));

      // The same state, replayed from each ledger's own stream (verdicts re-derived by the importing ledger).
      const stateOf = async (target: RunningLedger) => {
        const { body } = await target.get(`/v1/subjects/${subject}/state?asOf=2100-01-01T00:00:00Z`);
        const { position, lastEventPosition: _lastEventPosition, ...state } = body;
        expect(position).toEqual(expect.any(Number));
        return state;
      };
      const [originalState, copiedState] = [await stateOf(ledger), await stateOf(reimport)];
      expect(copiedState).toEqual(originalState);
      expect(originalState.authenticators).toEqual([expect.objectContaining({ status: 'revoked', revocationReason: 'lost' })]);
      expect(originalState.lastAuthentications).toEqual([
        expect.objectContaining({ channel: 'vpn', verdict: expect.any(String), policyVersion: 1 }),
      ]);
    } finally {
      await reimport.stop();
    }
  });

  it('maps to OCSF records with the required attributes of their class, within a time window', async () => {
    const { lines } = await exportLines(ledger, 'format=ocsf&from=2026-03-01T00:00:00Z&to=2026-03-31T23:59:59Z');
    const mine = lines.filter((line) => line.user.uid === subject);
    expect(mine.map((line) => [line.class_uid, line.activity_id])).toEqual([
      [3001, 10],
      [3002, 1],
    ]);
    for (const line of mine) {
      for (const attribute of ['category_uid', 'class_uid', 'activity_id', 'type_uid', 'severity_id', 'time', 'metadata', 'user']) {
        expect(line).toHaveProperty(attribute);
      }
      expect(line.metadata.product.name).toBe('Assurance Ledger');
    }
    expect(mine[1]).toMatchObject({
      status_id: 1,
      is_mfa: expect.any(Boolean),
      auth_factors: [{ factor_type_id: 10 }],
      service: { name: 'corp-vpn' },
      src_endpoint: { ip: '192.0.2.10' },
    });
  });

  it('pseudonymises IP addresses with a keyed hash on request', async () => {
    const { lines } = await exportLines(ledger, 'format=ocsf&pseudonymise=true');
    const logins = lines.filter((line) => line.user.uid === subject && line.class_uid === 3002);
    expect(logins).toHaveLength(2);
    // OCSF src_endpoint.ip must hold an IP address; the pseudonym goes to the string src_endpoint.uid.
    for (const login of logins) expect(login.src_endpoint).toEqual({ uid: expect.stringMatching(/^pseudo:[0-9a-f]{32}$/) });
    expect(logins[0].src_endpoint.uid).toBe(logins[1].src_endpoint.uid);
    const { lines: jsonl } = await exportLines(ledger, 'format=jsonl&pseudonymise=true');
    expect(JSON.stringify(jsonl)).not.toContain('192.0.2.10');
  });

  it('refuses an unknown format, a bad time and a reversed window with 400 naming the field', async () => {
    expect((await exportLines(ledger, 'format=csv')).status).toBe(400);
    const badTime = await exportLines(ledger, 'format=jsonl&from=2026-02-30T00:00:00Z');
    expect(badTime.status).toBe(400);
    const reversed = await exportLines(ledger, 'format=jsonl&from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z');
    expect(reversed.status).toBe(400);
    expect(reversed.lines[0].errors).toEqual([{ field: 'to', reason: 'must not be before from' }]);
  });

  it('refuses to pseudonymise without a configured key', async () => {
    const keyless = await startLedger();
    try {
      const response = await exportLines(keyless, 'format=ocsf&pseudonymise=true');
      expect(response.status).toBe(400);
      expect(response.lines[0].errors[0].field).toBe('pseudonymise');
    } finally {
      await keyless.stop();
    }
  });
});
