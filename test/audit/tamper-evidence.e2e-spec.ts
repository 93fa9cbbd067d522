import { readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';
import { startLedger } from '../support/ledger-test-app';

describe('tamper evidence on the SQLite file', () => {
  it('reports the stream and revision whose stored bytes were edited directly in the file', async () => {
    const first = await startLedger();
    const subject = `u-${randomUUID()}`;
    const bystander = `u-${randomUUID()}`;
    const marker = `corp-vpn-${randomUUID()}`;
    const batch = [enrolledEvent(subject), authenticationSucceeded(subject, { data: { channel: 'vpn', applicationId: marker, methods: [{ kind: 'security-key', amr: ['hwk'] }] } }), authenticationSucceeded(subject)];
    expect((await first.post(batch, 'application/cloudevents-batch+json')).status).toBe(201);
    expect((await first.post(enrolledEvent(bystander))).status).toBe(201);
    const intact = await first.get(`/v1/audit/verify?stream=subject-${subject}`);
    expect(intact.body).toMatchObject({ valid: true, eventsChecked: 3 });
    // Closing checkpoints the WAL, so the rows are in the main file.
    await first.stop({ keepFiles: true });

    const file = readFileSync(first.config.sqlitePath);
    const at = file.indexOf(Buffer.from(marker));
    expect(at).toBeGreaterThan(0);
    expect(file.indexOf(Buffer.from(marker), at + 1)).toBe(-1);
    file.write('payroll', at); // same length as 'corp-vp', so the row still parses
    writeFileSync(first.config.sqlitePath, file);

    const reopened = await startLedger({ LEDGER_SQLITE_PATH: first.config.sqlitePath });
    try {
      const edited = await reopened.get(`/v1/subjects/${subject}/events`);
      expect(edited.body.events[1].data.applicationId).toMatch(/^payroll/);

      const verification = await reopened.get(`/v1/audit/verify?stream=subject-${subject}`);
      expect(verification.status).toBe(200);
      expect(verification.body).toMatchObject({
        valid: false,
        firstBreak: { streamId: `subject-${subject}`, revision: 1, reason: 'hash-mismatch', actualHash: edited.body.events[1].hash },
      });

      const everything = await reopened.get('/v1/audit/verify');
      expect(everything.body).toMatchObject({ valid: false, streamsChecked: 2, eventsChecked: 4, brokenStreams: 1 });
      expect(everything.body.firstBreak).toMatchObject({ streamId: `subject-${subject}`, revision: 1 });
    } finally {
      await reopened.stop();
    }
  });
});
