import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chainEvents, EMPTY_STREAM_TAIL, expectedRevisionAfter, SqliteEventStore, StreamTail } from '@ledger/event-store';
import { BUILT_MAIN, ensureBuilt, ServerProcess, startServerProcess } from '../support/built-server';
import { authenticationSucceeded, CloudEventBody, enrolledEvent } from '../support/cloud-events';

const REBUILD_SCRIPT = join(BUILT_MAIN, '..', '..', '..', 'ledger-cli', 'src', 'rebuild-projections.js');
const KILLS = 3;
/** Written straight into the event file while the API is down, so that the restarted runner has a long catch-up to be killed in. */
const BACKLOG_SUBJECTS = 100;
const BACKLOG_EVENTS_PER_SUBJECT = 150;
const WRITERS = 6;
const ACKNOWLEDGED_PER_ROUND = 900;

function fallbackUsed(subject: string): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type: 'assurance.fallback.used',
    subject,
    time: '2026-11-04T10:00:00Z',
    data: { applicationId: 'legacy-erp', channel: 'web', intendedMethod: 'passkey-synced', usedMethod: 'password', reason: 'no passkey' },
  };
}

function recoveryCompleted(subject: string): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://helpdesk.example.com',
    type: 'assurance.recovery.completed',
    subject,
    time: '2026-11-05T10:00:00Z',
    data: { method: 'help-desk', verifiedBy: 'agent-3', userNotified: true },
  };
}

const MAKERS = [enrolledEvent, authenticationSucceeded, fallbackUsed, recoveryCompleted, authenticationSucceeded];

async function getJson(url: string, headers: Record<string, string>): Promise<any> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.json() };
}

/** Writes continuously until the process is killed; returns how many events were acknowledged. */
async function ingestUntilKilled(server: ServerProcess, round: number): Promise<{ acknowledged: number; lagSeenAtKill: number }> {
  let acknowledged = 0;
  let killed = false;
  let lagSeenAtKill = 0;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  const writer = async (writerIndex: number) => {
    for (let batchIndex = 0; !killed; batchIndex++) {
      const size = 1 + ((writerIndex + batchIndex) % 5);
      const batch = Array.from({ length: size }, (_, i) => {
        const subject = `crash-${round}-${writerIndex}-${(batchIndex + i) % 20}`;
        return MAKERS[(batchIndex + i) % MAKERS.length](subject);
      });
      try {
        const response = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents-batch+json', ...server.auth('emitter') },
          body: JSON.stringify(batch),
        });
        if (response.status !== 201) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
        acknowledged += size;
      } catch (error) {
        if (killed) return;
        throw error;
      }
      if (acknowledged >= ACKNOWLEDGED_PER_ROUND && !killed) {
        const overview = await getJson(`${server.url}/v1/projections`, server.auth()).catch(() => undefined);
        lagSeenAtKill = overview?.body.projections[0].lag.events ?? 0;
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
  await exited;
  return { acknowledged, lagSeenAtKill };
}

async function writeBacklog(sqlitePath: string): Promise<number> {
  const store = new SqliteEventStore({ path: sqlitePath });
  try {
    for (let subject = 0; subject < BACKLOG_SUBJECTS; subject++) {
      const stream = `subject-backlog-${subject}`;
      const events = Array.from({ length: BACKLOG_EVENTS_PER_SUBJECT }, (_, i) => {
        const body = MAKERS[i % MAKERS.length](`backlog-${subject}`);
        return {
          id: randomUUID(),
          type: body.type,
          data: body.data,
          metadata: {
            schemaVersion: 1,
            source: body.source,
            cloudEventId: body.id,
            subject: body.subject,
            time: body.time,
            recordedAt: new Date().toISOString(),
          },
        };
      });
      const tail: StreamTail = EMPTY_STREAM_TAIL;
      await store.append(stream, chainEvents(stream, tail, events), expectedRevisionAfter(tail));
    }
  } finally {
    await store.close();
  }
  return BACKLOG_SUBJECTS * BACKLOG_EVENTS_PER_SUBJECT;
}

describe('projections: SIGKILL during ingestion and projection, then restart', () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-projection-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with read models equal to a clean rebuild, no event applied twice or skipped', async () => {
    const env = { LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'), LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite') };
    for (let round = 0; round < KILLS; round++) {
      const server = await startServerProcess(env);
      const { acknowledged, lagSeenAtKill } = await ingestUntilKilled(server, round);
      expect(server.child.signalCode).toBe('SIGKILL');
      console.log(`projection crash test: round ${round}, acknowledged ${acknowledged}, projection lag at kill ${lagSeenAtKill} events`);
    }

    // A kill in the middle of a long catch-up, whose single large commit must land whole or not at all.
    const backlog = await writeBacklog(env.LEDGER_SQLITE_PATH);
    const catchingUp = await startServerProcess(env);
    const overview = await getJson(`${catchingUp.url}/v1/projections`, catchingUp.auth());
    const exitedDuringCatchUp = new Promise((resolve) => catchingUp.child.once('exit', resolve));
    catchingUp.child.kill('SIGKILL');
    await exitedDuringCatchUp;
    console.log(`projection crash test: killed during a catch-up of ${backlog} events, lag ${overview.body.projections[0].lag.events}`);
    expect(overview.body.projections[0].lag.events).toBeGreaterThan(0);

    const events = new SqliteEventStore({ path: env.LEDGER_SQLITE_PATH });
    const all = await events.readAll();
    await events.close();
    const head = all[all.length - 1].position;

    // The catch-up of the whole store may take several seconds on a loaded machine: wait for it, do not time out.
    const server = await startServerProcess({ ...env, LEDGER_CONSISTENCY_WAIT_MS: '60000' });
    let live: { position: number; checksums: Record<string, string> };
    try {
      const caughtUp = await getJson(`${server.url}/v1/projections/checksums?minPosition=${head}`, server.auth());
      expect(caughtUp).toMatchObject({ status: 200 });
      live = caughtUp.body;
      const overview = await getJson(`${server.url}/v1/projections`, server.auth());
      for (const projection of overview.body.projections) {
        expect(projection).toMatchObject({ checkpoint: head, eventsApplied: all.length, lag: { events: 0 }, status: 'live' });
      }
    } finally {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    expect(live.position).toBe(head);

    const { stdout } = await promisify(execFile)(process.execPath, [REBUILD_SCRIPT], { env: { ...process.env, ...env } });
    console.log(stdout);
    expect(stdout).toContain(`from position 0 to ${head}: ${all.length} events`);
    const printed = Object.fromEntries([...stdout.matchAll(/^checksum (\S+) ([0-9a-f]{64})$/gm)].map((match) => [match[1], match[2]]));
    expect(printed).toEqual(live.checksums);
    expect(Object.keys(printed).sort()).toEqual(['authentications', 'estate-posture', 'review-queue', 'subject-state']);
  }, 180_000);
});
