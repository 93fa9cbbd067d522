import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintApiKey } from '@ledger/core';
import { enrolledEvent, sessionStarted } from '../support/cloud-events';
import { ensureBuilt, startServerProcess } from '../support/built-server';
import { startLedger } from '../support/ledger-test-app';
import { testKeys } from '../support/test-keys';

const KEY_PATTERN = /alk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/;

describe('API keys in use', () => {
  it('records the writing key in every event and keeps a source-bound emitter to its sources', async () => {
    const okta = await mintApiKey('okta-connector', ['emitter'], ['https://okta.example.com']);
    const ledger = await startLedger({ LEDGER_API_KEYS: JSON.stringify([okta.record]) });
    try {
      const subject = `u-${randomUUID()}`;
      const own = enrolledEvent(subject, { source: 'https://okta.example.com' });
      const foreign = sessionStarted(subject, { source: 'https://vpn.example.com' });
      const signed = { authorization: `Bearer ${okta.key}` };

      const refused = await ledger.post([own, foreign], 'application/cloudevents-batch+json', signed);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'source-not-allowed', events: [{ index: 1, source: 'https://vpn.example.com' }] });
      expect((await ledger.get(`/v1/subjects/${subject}/events`)).status).toBe(404);

      expect((await ledger.post(own, 'application/cloudevents+json', signed)).status).toBe(201);
      expect((await ledger.post(foreign, 'application/cloudevents+json', ledger.auth('emitter'))).status).toBe(201);
      const stored = (await ledger.get(`/v1/subjects/${subject}/events`)).body.events;
      expect(stored.map((event: any) => event.writtenBy)).toEqual(['okta-connector', 'test-emitter']);
    } finally {
      await ledger.stop();
    }
  });

  it('limits each key separately and answers 429 with Retry-After', async () => {
    const ledger = await startLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 7; i++) {
        const response = await ledger.get('/v1/policy', 'auditor');
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect((await ledger.get('/v1/policy', 'helpdesk')).status).toBe(200);
      expect((await ledger.get('/health', null)).status).toBe(200);
    } finally {
      await ledger.stop();
    }
  });
});

describe('API keys and the log', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-keys-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs who read what by key name, and never a key, even at the most verbose level', async () => {
    const { keys } = await testKeys();
    const server = await startServerProcess({
      LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
      LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
      LEDGER_LOG_LEVEL: 'verbose',
    });
    const subject = `u-${randomUUID()}`;
    try {
      const call = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
        fetch(server.url + path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
      await call('/v1/events', server.auth('emitter'), {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(enrolledEvent(subject)),
      });
      await call(`/v1/subjects/${subject}/events`, server.auth('helpdesk'));
      await call('/v1/audit/verify', server.auth('auditor'));
      await call('/v1/policy', { authorization: `Bearer ${keys.admin.slice(0, -1)}X` });
      await call('/v1/policy', { authorization: 'Bearer alk_0000000000000000_not-a-real-key-but-shaped-like-one-000000' });
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
    const output = server.output();
    const accessLines = output.split('\n').filter((line) => line.includes('"type":"access"'));
    expect(accessLines.some((line) => line.includes('"key":"test-helpdesk"') && line.includes(`"subject":"${subject}"`))).toBe(true);
    expect(accessLines.some((line) => line.includes('"key":"test-auditor"') && line.includes('/v1/audit/verify'))).toBe(true);
    for (const key of Object.values(keys)) expect(output).not.toContain(key.slice(4));
    expect(output).not.toMatch(KEY_PATTERN);
    expect(output).not.toContain('not-a-real-key');
  });

  it('creates one admin and one emitter key on a first start with none, shows them once outside the log, and keeps only hashes', async () => {
    const fresh = join(dir, 'fresh');
    const env = {
      LEDGER_SQLITE_PATH: join(fresh, 'events.sqlite'),
      LEDGER_READ_MODEL_PATH: join(fresh, 'read-models.sqlite'),
      LEDGER_API_KEYS_FILE: join(fresh, 'api-keys.json'),
    };
    const first = await startServerProcess(env, { withTestKeys: false });
    const printed = first.output().match(new RegExp(KEY_PATTERN.source, 'g')) ?? [];
    try {
      expect(printed).toHaveLength(2);
      const [admin, emitter] = printed;
      const policy = await fetch(`${first.url}/v1/policy`, { headers: { authorization: `Bearer ${admin}` } });
      expect(policy.status).toBe(200);
      const asEmitter = await fetch(`${first.url}/v1/policy`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${emitter}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(asEmitter.status).toBe(403);
      const stored = readFileSync(env.LEDGER_API_KEYS_FILE, 'utf8');
      for (const key of printed) expect(stored).not.toContain(key.slice('alk_'.length + 16 + 1));
      // The keys are on standard output in a banner, never inside a log line.
      for (const line of first
        .output()
        .split('\n')
        .filter((text) => text.includes('[Nest]') || text.startsWith('{')))
        expect(line).not.toMatch(KEY_PATTERN);
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
    const second = await startServerProcess(env, { withTestKeys: false });
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(second.output()).not.toMatch(KEY_PATTERN);
  });
});
