import Database from 'better-sqlite3';
import { sqliteOnly } from '../support/e2e-store';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';
import { startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

describe('checkpoint digests', () => {
  sqliteOnly('prove that a deleted trailing event changed history, which the chain alone cannot show', async () => {
    const first = await startLedger();
    const alice = `u-${randomUUID()}`;
    const bob = `u-${randomUUID()}`;
    await first.post([enrolledEvent(alice), authenticationSucceeded(alice), enrolledEvent(bob)], BATCH);

    const checkpointResponse = await fetch(`${first.url}/v1/audit/checkpoints`, { method: 'POST', headers: first.auth() });
    expect(checkpointResponse.status).toBe(201);
    const checkpoint: any = await checkpointResponse.json();
    expect(checkpoint).toMatchObject({ algorithm: 'sha256-stream-heads-v1', stream: 'audit-checkpoints', revision: 0, streamCount: 2 });
    expect(checkpoint.digest).toMatch(/^[0-9a-f]{64}$/);

    const listed = await first.get('/v1/audit/checkpoints');
    expect(listed.body.checkpoints).toEqual([checkpoint]);
    const intact = await first.get(`/v1/audit/checkpoints/verify?position=${checkpoint.position}&digest=${checkpoint.digest}`);
    expect(intact.body).toMatchObject({ matches: true, recomputed: { digest: checkpoint.digest } });
    await first.stop({ keepFiles: true });

    // An operator removes the last event of alice's stream behind the ledger's back.
    const db = new Database(first.config.sqlitePath);
    db.exec('DROP TRIGGER events_are_immutable_delete');
    db.prepare(
      'DELETE FROM events WHERE stream_id = ? AND stream_revision = (SELECT max(stream_revision) FROM events WHERE stream_id = ?)',
    ).run(`subject-${alice}`, `subject-${alice}`);
    db.close();

    const reopened = await startLedger({ LEDGER_SQLITE_PATH: first.config.sqlitePath });
    try {
      const chain = await reopened.get(`/v1/audit/verify?stream=subject-${alice}`);
      expect(chain.body.valid).toBe(true);
      const tampered = await reopened.get(`/v1/audit/checkpoints/verify?position=${checkpoint.position}&digest=${checkpoint.digest}`);
      expect(tampered.body.matches).toBe(false);
      expect(tampered.body.recomputed.eventCount).toBe(checkpoint.eventCount - 1);
    } finally {
      await reopened.stop();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  it('are recorded on a timer, only when something was appended since the last one', async () => {
    const ledger = await startLedger({ LEDGER_CHECKPOINT_INTERVAL_MS: '100' });
    try {
      await ledger.post(enrolledEvent(`u-${randomUUID()}`));
      const waitFor = async (count: number) => {
        for (let i = 0; i < 50; i++) {
          const { body } = await ledger.get('/v1/audit/checkpoints');
          if (body.checkpoints.length >= count) return body.checkpoints;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`fewer than ${count} checkpoints`);
      };
      expect(await waitFor(1)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await ledger.get('/v1/audit/checkpoints')).body.checkpoints).toHaveLength(1);
      await ledger.post(enrolledEvent(`u-${randomUUID()}`));
      const [newest, oldest] = await waitFor(2);
      expect(newest.position).toBeGreaterThan(oldest.position);
      expect(newest.revision).toBe(1);
      expect((await ledger.get('/v1/audit/verify?stream=audit-checkpoints')).body.valid).toBe(true);
    } finally {
      await ledger.stop();
    }
  });

  it('refuses a malformed digest or position with 400', async () => {
    const ledger = await startLedger();
    try {
      expect((await ledger.get('/v1/audit/checkpoints/verify?position=-1&digest=abc')).status).toBe(400);
    } finally {
      await ledger.stop();
    }
  });
});
