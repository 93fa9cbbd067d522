import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiKeyRegistry } from '../../ledger-api/src/access/api-key-registry';
import { loadLedgerConfig } from '../../ledger-api/src/config/ledger-config';
import { createLedgerApp } from '../../ledger-api/src/ledger-app';
import { DEMO_SUBJECTS, demoEstateOptions, seedEstate } from './seed-estate';

/**
 * `npm run demo`: a fresh ledger on its own SQLite files, seeded through the
 * HTTP API with a generated estate, then left running for the console.
 * Everything lives in `demo-data/` and is replaced on every run.
 */
async function main(): Promise<void> {
  const directory = resolve(process.env.LEDGER_DEMO_DIR ?? 'demo-data');
  const subjects = Number(process.env.LEDGER_DEMO_SUBJECTS ?? DEMO_SUBJECTS);
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > 100_000) throw new Error('LEDGER_DEMO_SUBJECTS must be an integer from 1 to 100000');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });

  const keyFile = join(directory, 'api-keys.json');
  const consoleKey = await ApiKeyRegistry.createInFile(keyFile, 'demo-console', ['admin', 'auditor', 'reviewer', 'helpdesk']);
  const emitterKey = await ApiKeyRegistry.createInFile(keyFile, 'demo-emitter', ['emitter']);

  const config = loadLedgerConfig({
    ...process.env,
    LEDGER_STORE: 'sqlite',
    LEDGER_SQLITE_PATH: join(directory, 'ledger.sqlite'),
    LEDGER_READ_MODEL_PATH: join(directory, 'read-models.sqlite'),
    LEDGER_API_KEYS_FILE: keyFile,
    LEDGER_API_KEYS: '',
    LEDGER_LOG_LEVEL: process.env.LEDGER_LOG_LEVEL ?? 'warn',
  });
  const app = await createLedgerApp(config);
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;

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
