import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchContext } from './bench-context';
import { IngestedLedger, ingestedLedger } from './ingested-ledger';
import { snapshotBuild } from './ledger-server';
import { benchPostgresUrl, dropSchemas, runSchema } from './postgres';

/** The package.json script `projections:rebuild` runs this entry point. */
export const REBUILD_ENTRY = 'apps/ledger-cli/src/rebuild-projections.js';

/** What `projections:rebuild --json` prints last. */
export interface RebuildReport {
  eventsApplied: number;
  elapsedMs: number;
}

export interface PostgresReadModels {
  url: string;
  /** This run's schema: the rebuild swapped its read models in under this name. */
  schema: string;
  ledger: IngestedLedger;
  report: RebuildReport;
  /** The environment a ledger process needs to use these read models. */
  env: Record<string, string>;
}

/**
 * The rebuild command over the ledger B9 filled, with the read models in PostgreSQL, once per
 * run: B4-PG measures it, B7-PG then serves the rebuilt read models instead of projecting the
 * whole ledger again through a live server. The schema is this run's own and is dropped, with
 * the rebuild's scratch schemas, at the end of the run. Callers check that PostgreSQL answers.
 */
export function rebuiltPostgresReadModels(context: BenchContext): Promise<PostgresReadModels> {
  return context.memo('postgres-read-models', async () => {
    const ledger = await ingestedLedger(context);
    const { root } = await snapshotBuild(context);
    const url = benchPostgresUrl();
    const schema = runSchema('read_models');
    context.defer(() => dropSchemas(url, [schema, `${schema}_rebuilding`, `${schema}_retired`]));
    const env = { LEDGER_READ_MODELS: 'postgres', LEDGER_POSTGRES_URL: url, LEDGER_POSTGRES_SCHEMA: schema };
    context.log(`rebuilding every read model into PostgreSQL schema ${schema} from ${ledger.load.events.toLocaleString('en-US')} events`);
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, REBUILD_ENTRY), '--json'], {
      env: { ...process.env, LEDGER_LOG_LEVEL: 'warn', LEDGER_SQLITE_PATH: ledger.eventsPath, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as RebuildReport;
    return { url, schema, ledger, report, env };
  });
}
