import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainEvents, EMPTY_STREAM_TAIL, expectedRevisionAfter, SqliteEventStore, StreamTail } from '@ledger/event-store';
import { DEFAULT_POLICY } from '@ledger/domain';
import { enrollmentData } from '@ledger/domain/testing';
import { ApiKeyRegistry } from '@ledger/core';
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
    const context: CliContext = {
      out: (text) => (out += text),
      err: (text) => (err += text),
      isTTY: false,
      env,
      progressIntervalMs: 0,
      exitCode: 0,
    };
    await buildLedgerCli(context).parseAsync(args, { from: 'user' });
    return { out, err, exitCode: context.exitCode };
  }

  async function seed(subjects: string[], eventsEach: number): Promise<void> {
    const store = new SqliteEventStore({ path: env.LEDGER_SQLITE_PATH! });
    for (const subject of subjects) {
      const drafts = Array.from({ length: eventsEach }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(subjects.indexOf(subject)).padStart(6, '0')}${String(i).padStart(6, '0')}`,
        type: 'assurance.authenticator.enrolled',
        data: {
          authenticatorId: `k-${i}`,
          kind: 'security-key',
          phishingResistant: true,
          hardwareBound: true,
          syncable: false,
          userVerification: true,
        },
        metadata: {
          source: 'https://idp.example.com',
          cloudEventId: `${subject}-${i}`,
          subject,
          time: '2026-03-01T08:00:00Z',
          recordedAt: '2026-03-01T08:00:01Z',
          schemaVersion: 1,
        },
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
      db.prepare(
        "UPDATE events SET data = replace(data, 'security-key', 'sms') WHERE stream_id = 'subject-bob' AND stream_revision = 1",
      ).run();
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
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
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

  /** Appends facts to one subject's stream, each at its own time, as ingestion would chain them. */
  async function record(subject: string, facts: Array<{ type: string; time: string; data: Record<string, unknown> }>): Promise<number[]> {
    const store = new SqliteEventStore({ path: env.LEDGER_SQLITE_PATH! });
    const stream = `subject-${subject}`;
    let tail: StreamTail = EMPTY_STREAM_TAIL;
    try {
      const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      tail = { revision: last.revision, lastHash: String(last.metadata.hash) };
    } catch {
      /* a new stream */
    }
    const drafts = facts.map((fact, i) => ({
      id: `00000000-0000-4000-8000-${String(Date.now() % 1e6).padStart(6, '0')}${String(i).padStart(6, '0')}`,
      type: fact.type,
      data: fact.data,
      metadata: {
        source: 'https://idp.example.com',
        cloudEventId: `${subject}-${fact.time}-${i}`,
        subject,
        time: fact.time,
        recordedAt: fact.time,
        schemaVersion: 1,
      },
    }));
    const result = await store.append(stream, chainEvents(stream, tail, drafts), expectedRevisionAfter(tail));
    await store.close();
    return result.events.map((event) => event.position);
  }

  const authenticator = enrollmentData;

  describe('state', () => {
    beforeEach(async () => {
      await record('alice', [
        { type: 'assurance.authenticator.enrolled', time: '2026-03-01T09:00:00Z', data: authenticator('sms-1', 'sms', false) },
        { type: 'assurance.authenticator.enrolled', time: '2026-03-02T09:00:00Z', data: authenticator('key-1', 'security-key', true) },
        {
          type: 'assurance.authenticator.revoked',
          time: '2026-03-03T09:00:00Z',
          data: { authenticatorId: 'sms-1', reason: 'SMS retired' },
        },
      ]);
    });

    it('shows exactly the authenticators active at each of three moments, replayed from the stream', async () => {
      const activeAt = async (...args: string[]) => {
        const { out, exitCode } = await run('state', 'alice', ...args, '--json');
        expect(exitCode).toBe(0);
        const view = JSON.parse(out);
        return view.authenticators
          .filter((a: { status: string }) => a.status === 'active')
          .map((a: { authenticatorId: string }) => a.authenticatorId);
      };
      expect(await activeAt('--as-of', '2026-03-01T12:00:00Z')).toEqual(['sms-1']);
      expect(await activeAt('--as-of', '2026-03-02T12:00:00Z')).toEqual(['sms-1', 'key-1']);
      expect(await activeAt('--as-of', '2026-03-03T12:00:00Z')).toEqual(['key-1']);
      expect(await activeAt('--at-position', '1')).toEqual(['sms-1']);
      expect(await activeAt()).toEqual(['key-1']);
    });

    it('prints a table for people, and exits 1 before the first event or for an unknown subject', async () => {
      const { out } = await run('state', 'alice', '--as-of', '2026-03-02T12:00:00Z');
      expect(out).toContain('subject alice (subject-alice) as of 2026-03-02T12:00:00Z');
      expect(out).toMatch(/^ID\s+KIND\s+STATUS/m);
      expect(out).toMatch(/^key-1\s+security-key\s+active\s+yes/m);
      expect(out).toMatch(/^sms-1\s+sms\s+active\s+no/m);
      const before = await run('state', 'alice', '--as-of', '2026-02-01T00:00:00Z');
      expect(before.exitCode).toBe(1);
      expect(before.err).toContain('had no events as of 2026-02-01T00:00:00.000Z');
      expect((await run('state', 'nobody')).exitCode).toBe(1);
      await expect(run('state', 'alice', '--as-of', 'March')).rejects.toThrow(/RFC 3339/);
      await expect(run('state', 'alice', '--at-position', '-3')).rejects.toThrow(/whole number/);
      await expect(run('state', 'alice', '--as-of', '2026-03-02T12:00:00Z', '--at-position', '2')).rejects.toThrow(/cannot be used with/);
    });
  });

  describe('policy', () => {
    it('shows the built-in version, publishes an edited copy of it, and refuses a stale or invalid one', async () => {
      const builtIn = await run('policy', 'show');
      expect(builtIn.out).toContain('policy version 1 (built in');
      expect(builtIn.out).toMatch(/^privileged\s+3$/m);

      const shown = JSON.parse((await run('policy', 'show', '--json')).out);
      expect(shown).toMatchObject({ version: 1, builtIn: true, policy: DEFAULT_POLICY });
      const edited = join(dir, 'policy.json');
      shown.policy.applications = { payroll: { requiredAal: 3, tier: 'critical' } };
      writeFileSync(edited, JSON.stringify(shown));

      const published = await run('policy', 'publish', edited, '--published-by', 'ciso@example.com');
      expect(published.exitCode).toBe(0);
      expect(published.out).toMatch(/^published policy version 2, in force from \S+ \(policy-default revision 0, position \d+\)$/m);
      const current = await run('policy', 'show');
      expect(current.out).toContain('policy version 2, in force from');
      expect(current.out).toContain('published by ciso@example.com');
      expect(current.out).toMatch(/^payroll\s+3\s+critical$/m);
      expect(JSON.parse((await run('policy', 'show', '--version', '1', '--json')).out).version).toBe(1);

      // Edited from version 1, which is no longer current: refused, nothing written.
      const stale = await run('policy', 'publish', edited);
      expect(stale.exitCode).toBe(1);
      expect(stale.err).toContain('the current policy version is 2');

      const invalid = join(dir, 'invalid.json');
      writeFileSync(invalid, JSON.stringify({ ...DEFAULT_POLICY, requiredAal: { ...DEFAULT_POLICY.requiredAal, web: 4 } }));
      const refused = await run('policy', 'publish', invalid, '--expected-version', '2');
      expect(refused.exitCode).toBe(1);
      expect(refused.err).toContain('policy.requiredAal.web: must be an AAL');
      await expect(run('policy', 'publish', invalid)).rejects.toThrow(/--expected-version/);
      expect(JSON.parse((await run('policy', 'show', '--json')).out).version).toBe(2);
      expect((await run('policy', 'show', '--version', '9')).exitCode).toBe(1);
    });

    it('publishes an AAL2 lifetime beyond the SP 800-63B-4 §2.2.3 SHOULD only when the file acknowledges it, and shows it', async () => {
      const current = JSON.parse((await run('policy', 'show', '--json')).out);
      current.policy.sessions.aal2 = { maxLifetimeSeconds: 2 * 86_400, idleTimeoutSeconds: 3600 };
      const file = join(dir, 'longer.json');
      writeFileSync(file, JSON.stringify({ expectedVersion: current.version, policy: current.policy }));
      const refused = await run('policy', 'publish', file);
      expect(refused.exitCode).toBe(1);
      expect(refused.err).toMatch(/policy\.sessions\.aal2\.maxLifetimeSeconds: .*§2\.2\.3.*acknowledgedDeviations/);

      writeFileSync(
        file,
        JSON.stringify({
          expectedVersion: current.version,
          policy: current.policy,
          acknowledgedDeviations: ['sessions.aal2.maxLifetimeSeconds'],
        }),
      );
      expect((await run('policy', 'publish', file)).exitCode).toBe(0);
      const shown = await run('policy', 'show');
      expect(shown.out).toMatch(/^sessions\.aal2\.maxLifetimeSeconds\s+172800\s+86400\s+SHOULD SP 800-63B-4 §2\.2\.3\s+yes$/m);
    });
  });

  describe('projections rebuild', () => {
    it('rebuilds every read model with progress lines off a terminal, and a second rebuild gives the same checksums', async () => {
      await seed(['alice', 'bob', 'carol'], 4);
      const readModelPath = join(dir, 'read-models.sqlite');
      const first = await run('projections', 'rebuild', '--read-model-path', readModelPath);
      expect(first.exitCode).toBe(0);
      expect(first.out).toMatch(/^rebuilt \S+ from position 0 to 12: 12 events in [\d.]+ s \(\d+ events\/s\)$/m);
      expect(first.err).toMatch(/^rebuild: 12\/12 positions \(100%\), \d+\/s, ETA \S+$/m);
      const checksums = (out: string) =>
        Object.fromEntries([...out.matchAll(/^checksum (\S+) ([0-9a-f]{64})$/gm)].map((m) => [m[1], m[2]]));
      expect(Object.keys(checksums(first.out)).sort()).toEqual(['authentications', 'estate-posture', 'review-queue', 'subject-state']);

      const second = await run('projections', 'rebuild', '--read-model-path', readModelPath, '--json');
      expect(JSON.parse(second.out)).toMatchObject({ readModelPath, position: 12, eventsApplied: 12, checksums: checksums(first.out) });
    });
  });

  describe('keys create', () => {
    it('prints a new key once and stores only its salted hash', async () => {
      const file = join(dir, 'keys.json');
      const { out } = await run(
        'keys',
        'create',
        '--name',
        'okta-emitter',
        '--roles',
        'emitter',
        '--sources',
        'https://okta.example.com',
        '--file',
        file,
      );
      const key = out.trim();
      expect(key).toMatch(/^alk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

      const stored = readFileSync(file, 'utf8');
      // The secret is everything after the id; it may itself contain '_'.
      const secret = key.slice('alk_'.length + 16 + 1);
      expect(secret).toHaveLength(43);
      expect(stored).not.toContain(secret);
      const [record] = JSON.parse(stored);
      expect(record).toMatchObject({ name: 'okta-emitter', roles: ['emitter'], sources: ['https://okta.example.com'] });
      expect(record.hash).toMatch(/^scrypt\$16384\$8\$1\$/);

      const registry = ApiKeyRegistry.load({ file });
      await expect(registry.authenticate(key)).resolves.toEqual({
        keyId: key.slice('alk_'.length, 'alk_'.length + 16),
        keyName: 'okta-emitter',
        roles: ['emitter'],
        sources: ['https://okta.example.com'],
      });
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
