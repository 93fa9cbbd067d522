import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ServerProcess, startServerProcess } from '../support/built-server';
import { enrolledEvent } from '../support/cloud-events';

describe('logging: JSON lines with the ids that also go into event metadata', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-logs-'));
    server = await startServerProcess({
      LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
      LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
      LEDGER_LOG_LEVEL: 'log',
    });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (subject: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...server.auth('emitter'), ...headers },
      body: JSON.stringify(enrolledEvent(subject)),
    });
  const storedEvent = async (subject: string) =>
    (
      (await (await fetch(`${server.url}/v1/subjects/${subject}/events`, { headers: server.auth('auditor') })).json()) as {
        events: unknown[];
      }
    ).events[0];
  const logLines = () =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));

  it("puts the caller's correlation id and the request id in the event's metadata and on the request's log lines", async () => {
    const subject = `log-${randomUUID()}`;
    const response = await record(subject, { 'x-correlation-id': 'checkout-flow-7', 'x-request-id': 'req-0042' });
    expect(response.status).toBe(201);
    expect(await storedEvent(subject)).toMatchObject({ correlationId: 'checkout-flow-7', causationId: 'req-0042' });

    const completed = logLines().find((line) => line.req?.id === 'req-0042' && line.msg === 'request completed');
    expect(completed).toMatchObject({
      correlationId: 'checkout-flow-7',
      req: { method: 'POST', path: '/v1/events' },
      res: { statusCode: 201 },
    });
    expect(typeof completed.level).toBe('number');
    expect(typeof completed.time).toBe('number');
  });

  it('makes up one id when the caller sends none, and uses it everywhere: answer header, event metadata, log', async () => {
    const subject = `log-${randomUUID()}`;
    const response = await record(subject);
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-correlation-id')).toBe(requestId);
    expect(await storedEvent(subject)).toMatchObject({ correlationId: requestId, causationId: requestId });
    expect(logLines().some((line) => line.req?.id === requestId && line.correlationId === requestId)).toBe(true);
  });

  it('logs every line as JSON and never a credential', async () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    const nonJson = lines.filter((line) => !line.startsWith('{'));
    expect(nonJson).toEqual([]);
    expect(server.output()).not.toMatch(/authorization|Bearer /i);
  });
});
