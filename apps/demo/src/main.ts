// The estate generator uses the catalog, whose decorators need the metadata API.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiKeyRegistry, loadLedgerConfig } from '@ledger/core';
import { DEMO_SUBJECTS, demoEstateOptions, seedEstate } from './seed-estate';

/** The ledger server as `npm start` builds it: the demo runs it as it is, it does not assemble one of its own. */
const LEDGER_SERVER = join(__dirname, '..', '..', 'ledger-api', 'src', 'main.js');
const STARTUP_TIMEOUT_MS = 60_000;

/** Starts the ledger server as a child process with this environment; it stops when the demo stops. */
async function startLedgerServer(env: NodeJS.ProcessEnv, url: string): Promise<void> {
  const server = spawn(process.execPath, [LEDGER_SERVER], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = () => server.kill('SIGTERM');
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.once('exit', () => process.exit(0)).kill(signal));
  server.once('exit', (code) => {
    process.stderr.write(`the ledger server stopped (exit code ${String(code)})\n`);
    process.exit(code ?? 1);
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`the ledger server did not answer at ${url} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

/**
 * `npm run demo`: a fresh ledger server on its own SQLite files, seeded through the
 * HTTP API with a generated estate, then left running for the console.
 * Everything lives in `demo-data/` and is replaced on every run.
 */
async function main(): Promise<void> {
  const directory = resolve(process.env.LEDGER_DEMO_DIR ?? 'demo-data');
  const subjects = Number(process.env.LEDGER_DEMO_SUBJECTS ?? DEMO_SUBJECTS);
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > 100_000)
    throw new Error('LEDGER_DEMO_SUBJECTS must be an integer from 1 to 100000');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });

  const keyFile = join(directory, 'api-keys.json');
  const consoleKey = await ApiKeyRegistry.createInFile(keyFile, 'demo-console', ['admin', 'auditor', 'reviewer', 'helpdesk']);
  const emitterKey = await ApiKeyRegistry.createInFile(keyFile, 'demo-emitter', ['emitter']);

  const env = {
    ...process.env,
    LEDGER_STORE: 'sqlite',
    LEDGER_SQLITE_PATH: join(directory, 'ledger.sqlite'),
    LEDGER_READ_MODEL_PATH: join(directory, 'read-models.sqlite'),
    LEDGER_API_KEYS_FILE: keyFile,
    LEDGER_API_KEYS: '',
    LEDGER_LOG_LEVEL: process.env.LEDGER_LOG_LEVEL ?? 'warn',
  };
  // Read here too, so that a wrong setting is refused before the server starts, and the URL is the server's.
  const config = loadLedgerConfig(env);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  await startLedgerServer(env, url);

  process.stdout.write(`Seeding ${subjects} subjects into ${directory} …\n`);
  const started = Date.now();
  let reported = 0;
  const { events } = await seedEstate(
    { url, emitter: { authorization: `Bearer ${emitterKey}` }, reader: { authorization: `Bearer ${consoleKey}` } },
    demoEstateOptions(subjects),
    (written) => {
      if (written - reported >= 2000) {
        reported = written;
        process.stdout.write(`  ${written} events\n`);
      }
    },
  );
  process.stdout.write(
    [
      '',
      `Seeded ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s; the read models have caught up.`,
      '',
      `  Console:  ${url}/console`,
      `  API key:  ${consoleKey}`,
      '            (a demo key with the admin, auditor, reviewer and help-desk roles; it is valid only for this demo)',
      '',
      'Try the subject prefix "emp-000", the review queue and the posture page. Ctrl-C stops the demo.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
