import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerConfig, loadLedgerConfig } from '@ledger/core';
import { createLedgerApp } from '../../apps/ledger-api/src/ledger-app';
import { storeUnderTest } from './e2e-store';
import { TestKeyName, writeTestKeyFile } from './test-keys';

export interface LedgerResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Which test key signs the request; null sends none. Defaults to the key holding every role. */
  as?: TestKeyName | null;
}

export interface RunningLedger {
  url: string;
  config: LedgerConfig;
  app: NestFastifyApplication;
  dir: string;
  keys: Record<TestKeyName, string>;
  /** `Authorization` header for a test key (every role by default), for tests that call fetch themselves. */
  auth(as?: TestKeyName): Record<string, string>;
  request(method: string, path: string, options?: RequestOptions): Promise<LedgerResponse>;
  post(body: unknown, contentType?: string, headers?: Record<string, string>): Promise<LedgerResponse>;
  get(path: string, as?: TestKeyName | null): Promise<LedgerResponse>;
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

/**
 * Starts the real HTTP application on loopback with a fresh SQLite file and
 * one API key per role (plus one holding every role), as an operator would
 * configure it.
 */
export async function startLedger(env: Record<string, string> = {}): Promise<RunningLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const keyFile = env.LEDGER_API_KEYS_FILE ?? join(dir, 'api-keys.json');
  const { keys } = await writeTestKeyFile(keyFile);
  const sqlitePath = env.LEDGER_SQLITE_PATH ?? join(dir, 'events.sqlite');
  const readModelPath = env.LEDGER_READ_MODEL_PATH ?? join(dir, 'read-models.sqlite');
  const store = await storeUnderTest({ ...env, LEDGER_SQLITE_PATH: sqlitePath, LEDGER_READ_MODEL_PATH: readModelPath });
  const config = loadLedgerConfig({
    LEDGER_SQLITE_PATH: sqlitePath,
    LEDGER_READ_MODEL_PATH: readModelPath,
    LEDGER_API_KEYS_FILE: keyFile,
    PORT: '0',
    LEDGER_LOG_LEVEL: 'warn',
    ...store.env,
    ...env,
  });
  const app = await createLedgerApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const auth = (as: TestKeyName = 'all') => ({ authorization: `Bearer ${keys[as]}` });

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<LedgerResponse> => {
    const { body, contentType = 'application/json', headers = {}, as = 'all' } = options;
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': contentType }),
        ...(as !== null && auth(as)),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // NDJSON and other non-JSON answers stay text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    url,
    config,
    app,
    dir,
    keys,
    auth,
    request,
    post: (body, contentType = 'application/cloudevents+json', headers = {}) =>
      request('POST', '/v1/events', { body, contentType, headers }),
    get: (path, as = 'all') => request('GET', path, { as }),
    async stop({ keepFiles = false } = {}) {
      await app.close();
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}
