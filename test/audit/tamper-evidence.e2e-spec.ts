import { readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';
import { startLedger } from '../support/ledger-test-app';

describe('tamper evidence on the SQLite file', () => {
  it('reports the stream and revision whose stored bytes were edited directly in the file', async () => {
    const first = await startLedger();
    const subject = `u-${randomUUID()}`;
    const bystander = `u-${randomUUID()}`;
    // The address is in the authentication only: the verdict the ledger writes after it does not repeat it.
    const address = `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
    const login = authenticationSucceeded(subject, {
      data: { channel: 'vpn', applicationId: 'corp-vpn', methods: [{ kind: 'security-key', amr: ['hwk'] }], ipAddress: address },
    });
    const batch = [enrolledEvent(subject), login, authenticationSucceeded(subject)];
    expect((await first.post(batch, 'application/cloudevents-batch+json')).status).toBe(201);
    expect((await first.post(enrolledEvent(bystander))).status).toBe(201);
    const intact = await first.get(`/v1/audit/verify?stream=subject-${subject}`);
    expect(intact.body).toMatchObject({ valid: true, eventsChecked: 5 });
    // Closing checkpoints the WAL, so the rows are in the main file.
    await first.stop({ keepFiles: true });

    // A page split can leave a stale copy of the row in a free page; edit every copy, as an attacker would.
    const file = readFileSync(first.config.sqlitePath);
    let edits = 0;
    for (let at = file.indexOf(Buffer.from(address)); at >= 0; at = file.indexOf(Buffer.from(address), at + 1)) {
      file.write('2001:db9', at); // same length, so the row still parses
      edits++;
    }
    expect(edits).toBeGreaterThan(0);
    writeFileSync(first.config.sqlitePath, file);

    const reopened = await startLedger({ LEDGER_SQLITE_PATH: first.config.sqlitePath });
    try {
      const edited = await reopened.get(`/v1/subjects/${subject}/events`);
      expect(edited.body.events[1].data.ipAddress).toBe(address.replace('2001:db8', '2001:db9'));

      const verification = await reopened.get(`/v1/audit/verify?stream=subject-${subject}`);
      expect(verification.status).toBe(200);
      expect(verification.body).toMatchObject({
        valid: false,
        firstBreak: { streamId: `subject-${subject}`, revision: 1, reason: 'hash-mismatch', actualHash: edited.body.events[1].hash },
      });

      const everything = await reopened.get('/v1/audit/verify');
      expect(everything.body).toMatchObject({ valid: false, streamsChecked: 2, eventsChecked: 6, brokenStreams: 1 });
      expect(everything.body.firstBreak).toMatchObject({ streamId: `subject-${subject}`, revision: 1 });

      // The same verification as a streamed job: progress while it runs, then the same result.
      const job = await reopened.get('/v1/audit/verify?progressEvery=2');
      expect(job.status).toBe(200);
      expect(job.headers.get('content-type')).toContain('application/x-ndjson');
      const lines = (job.body as string)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const progress = lines.slice(0, -1);
      expect(progress.map((line) => [line.type, line.eventsChecked])).toEqual([
        ['progress', 2],
        ['progress', 4],
        ['progress', 6],
      ]);
      expect(progress.every((line) => line.position <= line.head)).toBe(true);
      expect(lines[lines.length - 1]).toEqual({ type: 'result', head: progress[0].head, ...everything.body });

      const misused = await reopened.get(`/v1/audit/verify?progressEvery=2&stream=subject-${subject}`);
      expect(misused.status).toBe(400);
      expect(misused.body.errors).toEqual([{ field: 'progressEvery', reason: 'applies only to the whole store, without stream' }]);
      expect((await reopened.get('/v1/audit/verify?progressEvery=0')).status).toBe(400);
    } finally {
      await reopened.stop();
    }
  });
});
