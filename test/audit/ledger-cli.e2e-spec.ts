import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainEvents, EMPTY_STREAM_TAIL, SqliteEventStore } from '@ledger/event-store';
import { BUILT_MAIN, ensureBuilt } from '../support/built-server';

const BUILT_CLI = join(BUILT_MAIN, '..', '..', '..', 'ledger-cli', 'src', 'main.js');

/** The built `ledger` command as an operator's script runs it: pipes, not a terminal, and its exit code. */
describe('ledger verify, built, off a terminal', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => ensureBuilt());
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-e2e-'));
    env = { PATH: process.env.PATH, LEDGER_SQLITE_PATH: join(dir, 'events.sqlite') };
    const store = new SqliteEventStore({ path: env.LEDGER_SQLITE_PATH! });
    for (let s = 0; s < 20; s++) {
      const stream = `subject-user-${s}`;
      const drafts = Array.from({ length: 50 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(s).padStart(6, '0')}${String(i).padStart(6, '0')}`,
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
          cloudEventId: `${s}-${i}`,
          subject: `user-${s}`,
          time: '2026-03-01T08:00:00Z',
          schemaVersion: 1,
        },
      }));
      await store.append(stream, chainEvents(stream, EMPTY_STREAM_TAIL, drafts), 'no_stream');
    }
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ledger = (...args: string[]) => spawnSync(process.execPath, [BUILT_CLI, ...args], { env, encoding: 'utf8' });

  it('prints plain progress lines and exits 0 on a clean store, 1 once an event is edited', () => {
    const clean = ledger('verify');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('chain valid: 20 streams, 1000 events\n');
    expect(clean.stderr).toMatch(/^verify: 1000\/1000 positions \(100%\), \d+\/s, ETA 0s$/m);
    expect(clean.stderr).not.toContain('\u001b[');

    const db = new Database(env.LEDGER_SQLITE_PATH!);
    db.exec('DROP TRIGGER events_are_immutable_update');
    db.prepare("UPDATE events SET data = replace(data, 'k-7', 'k-8') WHERE stream_id = 'subject-user-13' AND stream_revision = 7").run();
    db.close();

    const tampered = ledger('verify');
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('CHAIN BROKEN: 20 streams');
    expect(tampered.stdout).toContain('first break: stream subject-user-13 revision 7 (hash-mismatch)');
    expect(tampered.stderr).toMatch(/^verify: \d+\/1000 positions/m);
  });
});
