import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ensureBuilt, ServerProcess, startServerProcess } from '../support/built-server';

/**
 * An exception that expires while the API is stopped must be expired when it
 * starts again, at its own expiry time. The sweep interval is set to a
 * minute, so only the sweep at start can have recorded it in time.
 */
describe('exception expiry across a restart (built server)', () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-expiry-'));
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
    LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
    LEDGER_API_KEYS_FILE: join(dir, 'api-keys.json'),
    LEDGER_EXCEPTION_SWEEP_INTERVAL_MS: '60000',
  });
  const call = async (method: string, path: string, as: 'helpdesk' | 'reviewer' | 'auditor', body?: unknown) => {
    const response = await fetch(server!.url + path, {
      method,
      headers: { ...server!.auth(as), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, text, body: isJson ? JSON.parse(text) : undefined };
  };

  it('expires on start an exception whose expiry passed while the API was down, at the expiry time', async () => {
    server = await startServerProcess(env());
    const requested = await call('POST', '/v1/exceptions', 'helpdesk', {
      scope: { subjectId: 'u-123' },
      allowedMethods: ['sms'],
      justification: 'security key is being replaced',
      expiresAt: new Date(Date.now() + 3000).toISOString(),
    });
    expect(requested.status).toBe(201);
    const exceptionId = requested.body.exception.exceptionId;
    const approval = await call('POST', `/v1/exceptions/${exceptionId}/approve`, 'reviewer', { note: 'for the replacement only' });
    expect(approval.status).toBe(200);
    const expiresAt: string = approval.body.exception.expiresAt;

    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 1500));

    server = await startServerProcess(env());
    const restartedAt = Date.now();
    const after = await call('GET', `/v1/exceptions/${exceptionId}`, 'auditor');
    expect(after.body).toMatchObject({ status: 'expired', expiredAt: expiresAt });

    const exported = await call('GET', '/v1/audit/export?format=jsonl', 'auditor');
    const expiry = exported.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((event) => event.type === 'assurance.exception.expired');
    expect(expiry).toMatchObject({ time: expiresAt, data: { exceptionId, expiredAt: expiresAt, previousStatus: 'approved' } });
    // Recorded by the restarted process, yet dated at the expiry, which fell while nothing was running.
    expect(Date.parse(expiry.ledgerrecordedat)).toBeGreaterThan(stoppedAt);
    expect(Date.parse(expiry.ledgerrecordedat)).toBeLessThanOrEqual(restartedAt);
    expect(Date.parse(expiry.time)).toBeLessThan(Date.parse(expiry.ledgerrecordedat));
  }, 60_000);
});
