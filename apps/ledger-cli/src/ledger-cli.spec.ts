import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainEvents, EMPTY_STREAM_TAIL, SqliteEventStore } from '@ledger/event-store';
import { ApiKeyRegistry } from '../../ledger-api/src/access/api-key-registry';
import { buildLedgerCli, CliContext } from './ledger-cli';

describe('the ledger command', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    env = { LEDGER_SQLITE_PATH: join(dir, 'events.sqlite') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
    let out = '';
    let err = '';
    const context: CliContext = { out: (text) => (out += text), err: (text) => (err += text), isTTY: false, env, progressIntervalMs: 0, exitCode: 0 };
    await buildLedgerCli(context).parseAsync(args, { from: 'user' });
    return { out, err, exitCode: context.exitCode };
  }

  async function seed(subjects: string[], eventsEach: number): Promise<void> {
    const store = new SqliteEventStore({ path: env.LEDGER_SQLITE_PATH! });
    for (const subject of subjects) {
      const drafts = Array.from({ length: eventsEach }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(subjects.indexOf(subject)).padStart(6, '0')}${String(i).padStart(6, '0')}`,
        type: 'assurance.authenticator.enrolled',
        data: { authenticatorId: `k-${i}`, kind: 'security-key', phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
        metadata: { source: 'https://idp.example.com', cloudEventId: `${subject}-${i}`, subject, time: '2026-03-01T08:00:00Z', recordedAt: '2026-03-01T08:00:01Z', schemaVersion: 1 },
      }));
      await store.append(`subject-${subject}`, chainEvents(`subject-${subject}`, EMPTY_STREAM_TAIL, drafts), 'no_stream');
    }
    await store.close();
  }

  describe('verify', () => {
    it('prints plain progress lines when not on a terminal and exits 0 on a clean store', async () => {
      await seed(['alice', 'bob'], 3);
      const { out, err, exitCode } = await run('verify');
      expect(exitCode).toBe(0);
      expect(out).toBe('chain valid: 2 streams, 6 events\n');
      expect(err).toMatch(/^verify: \d+\/6 positions \(\d+%\), \d+\/s, ETA \S+$/m);
      expect(err).toMatch(/verify: 6\/6 positions \(100%\)/);
    });

    it('exits 1 and names the stream and revision on a tampered store', async () => {
      await seed(['alice', 'bob'], 3);
      const db = new Database(env.LEDGER_SQLITE_PATH!);
      db.exec('DROP TRIGGER events_are_immutable_update');
      db.prepare("UPDATE events SET data = replace(data, 'security-key', 'sms') WHERE stream_id = 'subject-bob' AND stream_revision = 1").run();
      db.close();
      const { out, exitCode } = await run('verify');
      expect(exitCode).toBe(1);
      expect(out).toContain('CHAIN BROKEN');
      expect(out).toContain('first break: stream subject-bob revision 1 (hash-mismatch)');
      const one = await run('verify', '--stream', 'subject-alice', '--json');
      expect(JSON.parse(one.out)).toMatchObject({ valid: true, eventsChecked: 3 });
      expect(one.exitCode).toBe(0);
    });
  });

  it('exports OCSF records to a file with progress on standard error', async () => {
    await seed(['alice'], 2);
    const file = join(dir, 'export.ndjson');
    const { err } = await run('export', '--format', 'ocsf', '--out', file);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((record) => [record.class_uid, record.activity_id])).toEqual([
      [3001, 10],
      [3001, 10],
    ]);
    expect(err).toContain('exported 2 OCSF records');
    await expect(run('export', '--format', 'csv')).rejects.toThrow(/Allowed choices are jsonl, ocsf/);
    await expect(run('export', '--format', 'jsonl', '--from', 'yesterday')).rejects.toThrow(/RFC 3339/);
  });

  it("lists a subject's history and exits 1 for an unknown subject", async () => {
    await seed(['alice'], 2);
    const { out } = await run('history', 'alice');
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(out).toContain('assurance.authenticator.enrolled');
    expect((await run('history', 'nobody')).exitCode).toBe(1);
  });

  describe('keys create', () => {
    it('prints a new key once and stores only its salted hash', async () => {
      const file = join(dir, 'keys.json');
      const { out } = await run('keys', 'create', '--name', 'okta-emitter', '--roles', 'emitter', '--sources', 'https://okta.example.com', '--file', file);
      const key = out.trim();
      expect(key).toMatch(/^alk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

      const stored = readFileSync(file, 'utf8');
      expect(stored).not.toContain(key.split('_').pop());
      const [record] = JSON.parse(stored);
      expect(record).toMatchObject({ name: 'okta-emitter', roles: ['emitter'], sources: ['https://okta.example.com'] });
      expect(record.hash).toMatch(/^scrypt\$16384\$8\$1\$/);

      const registry = ApiKeyRegistry.load({ file });
      await expect(registry.authenticate(key)).resolves.toEqual({ keyName: 'okta-emitter', roles: ['emitter'], sources: ['https://okta.example.com'] });
      await expect(registry.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).resolves.toBeUndefined();
    });

    it('refuses unknown roles and a duplicate name', async () => {
      const file = join(dir, 'keys.json');
      await expect(run('keys', 'create', '--name', 'x', '--roles', 'emitter,root', '--file', file)).rejects.toThrow(/unknown: root/);
      await run('keys', 'create', '--name', 'auditor-1', '--roles', 'auditor', '--file', file);
      await expect(run('keys', 'create', '--name', 'auditor-1', '--roles', 'auditor', '--file', file)).rejects.toThrow(/already exists/);
    });
  });
});
