import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrolledEvent, sessionStarted } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

const BATCH = 'application/cloudevents-batch+json';

/** Writes zeros until the file system refuses: the disk is then full. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * A real full disk: the event file lives on a 4 MiB tmpfs (CI runs as root,
 * which may mount one). Space is taken by a filler file and then given back.
 */
describe('fault: the disk under the SQLite store fills up', () => {
  let mountPoint: string;
  let ledger: RunningLedger;

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'ledger-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`this test mounts a 4 MiB tmpfs and needs root to do so: ${String(error)}`);
    }
    ledger = await startLedger({ LEDGER_SQLITE_PATH: join(mountPoint, 'events.sqlite') });
  });
  afterAll(async () => {
    await ledger?.stop();
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } finally {
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('answers 503 with a clear reason, stays consistent, and takes the same batch once space is freed', async () => {
    const subject = `u-${randomUUID()}`;
    expect((await ledger.post([enrolledEvent(subject), sessionStarted(subject)], BATCH)).status).toBe(201);

    const filler = join(mountPoint, 'filler');
    fillUp(filler);
    // Large enough that the WAL must grow by more than any page SQLite may already hold.
    const batch = Array.from({ length: 200 }, () => sessionStarted(subject, { padding: 'x'.repeat(900) } as any));
    const refused = await ledger.post(batch, BATCH);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.detail).toMatch(/out of disk space/);

    const whileFull = await ledger.get(`/v1/subjects/${subject}/events`);
    expect(whileFull.body.events.map((e: any) => e.revision)).toEqual([0, 1]);

    unlinkSync(filler);
    const retried = await ledger.post(batch, BATCH);
    expect(retried.status).toBe(201);
    expect(retried.body.results[0].revision).toBe(2);
    const verification = await ledger.get(`/v1/audit/verify?stream=subject-${subject}`);
    expect(verification.body).toMatchObject({ valid: true, eventsChecked: 202 });
  });
});
