import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_MAIN, ensureBuilt, ServerProcess, startServerProcess } from '../support/built-server';
import type { CloudEventBody } from '../support/cloud-events';
import { scriptEstate } from '../projections/support/scripted-estate';

const BATCH = 'application/cloudevents-batch+json';

async function call(server: ServerProcess, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, { ...init, headers: { ...server.auth(), ...(init.headers as Record<string, string>) } });
  return { status: response.status, body: await response.json() };
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Sends the batches in order, each to the next writer in turn, and returns the position the last one answered. */
async function feed(batches: CloudEventBody[][], writers: ServerProcess[]): Promise<number> {
  let position = -1;
  for (const [i, batch] of batches.entries()) {
    const answer = await call(writers[i % writers.length], '/v1/events', {
      method: 'POST',
      headers: { 'content-type': BATCH, ...writers[0].auth('emitter') },
      body: JSON.stringify(batch),
    });
    if (answer.status !== 201) throw new Error(`batch ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
    position = Math.max(position, ...answer.body.results.map((result: { position: number }) => result.position));
  }
  return position;
}

describe('LEDGER_ROLE: API replicas and one projector on one SQLite store', () => {
  let dir: string;
  const servers: ServerProcess[] = [];
  const estate = scriptEstate('roles', 40);
  // One subject per batch keeps each subject's events in order whichever replica takes them.
  const batches = estate.map((subject) => subject.segments.flat());
  const env = (name: string, role: string) => ({
    LEDGER_ROLE: role,
    LEDGER_SQLITE_PATH: join(dir, name, 'events.sqlite'),
    LEDGER_READ_MODEL_PATH: join(dir, name, 'read-models.sqlite'),
    LEDGER_API_KEYS_FILE: join(dir, name, 'api-keys.json'),
    LEDGER_CHECKPOINT_INTERVAL_MS: '0',
  });

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-roles-'));
    for (const deployment of ['split', 'single']) mkdirSync(join(dir, deployment));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stop));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same read models as one `all` process fed the same events, and reads its own writes on either replica', async () => {
    const projector = await startServerProcess(env('split', 'projector'));
    servers.push(projector);
    const replicas = [await startServerProcess(env('split', 'api')), await startServerProcess(env('split', 'api'))];
    servers.push(...replicas);

    // A projector serves health and metrics only.
    expect((await fetch(`${projector.url}/v1/subjects`, { headers: projector.auth() })).status).toBe(404);
    expect((await fetch(`${projector.url}/metrics`)).status).toBe(200);

    // Read-your-writes across replicas: a write through one, a read through the other, waiting on the projector.
    const [first, ...rest] = batches;
    const firstPosition = await feed([first], [replicas[0]]);
    const seen = await call(replicas[1], `/v1/subjects/${first[0].subject}?minPosition=${firstPosition}`);
    expect(seen.status).toBe(200);
    expect(seen.body.subjectId).toBe(first[0].subject);

    const splitPosition = await feed(rest, replicas);
    const split = await Promise.all(replicas.map((replica) => call(replica, `/v1/projections/checksums?minPosition=${splitPosition}`)));
    expect(split.map((answer) => answer.status)).toEqual([200, 200]);
    expect(split[1].body).toEqual(split[0].body);

    const overview = await call(replicas[0], '/v1/projections');
    expect(overview.body.projections.every((projection: any) => projection.status === 'live')).toBe(true);

    const all = await startServerProcess(env('single', 'all'));
    servers.push(all);
    const allPosition = await feed(batches, [all]);
    const reference = await call(all, `/v1/projections/checksums?minPosition=${allPosition}`);
    expect(allPosition).toBe(splitPosition);
    expect(reference.body).toEqual(split[0].body);
    // Each event applied exactly once, by the one projector: as many as the single process applied.
    const applied = (answer: { body: any }) => answer.body.projections.map((projection: any) => projection.eventsApplied);
    expect(applied(overview)).toEqual(applied(await call(all, '/v1/projections')));
  }, 120_000);

  it('lets only one projector write a read-model file: a second one refuses to start', async () => {
    const second = spawn(process.execPath, [BUILT_MAIN], {
      env: { ...process.env, ...env('split', 'projector'), PORT: '0', LEDGER_HOST: '127.0.0.1', LEDGER_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    second.stdout!.on('data', (chunk) => (output += chunk));
    second.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => second.once('exit', resolve));
    // Were the lock to fail, the second projector would run on: stop it rather than hang the suite.
    const guard = setTimeout(() => second.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(guard);
    expect(code).not.toBe(0);
    expect(output).toMatch(/being written by process \d+/);
  });
});
