import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerConfig, loadLedgerConfig } from '../../apps/ledger-api/src/config/ledger-config';
import { createLedgerApp } from '../../apps/ledger-api/src/ledger-app';

export interface RunningLedger {
  url: string;
  config: LedgerConfig;
  app: NestFastifyApplication;
  dir: string;
  post(body: unknown, contentType?: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  get(path: string): Promise<{ status: number; headers: Headers; body: any }>;
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

/** Starts the real HTTP application on loopback with a fresh SQLite file. */
export async function startLedger(env: Record<string, string> = {}): Promise<RunningLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadLedgerConfig({
    LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
    LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
    PORT: '0', LEDGER_LOG_LEVEL: 'warn', ...env });
  const app = await createLedgerApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(url + path, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    config,
    app,
    dir,
    post: (body, contentType = 'application/cloudevents+json', headers = {}) =>
      call('/v1/events', {
        method: 'POST',
        headers: { 'content-type': contentType, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path) => call(path),
    async stop({ keepFiles = false } = {}) {
      await app.close();
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}
