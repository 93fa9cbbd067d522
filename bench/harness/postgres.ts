import pg from 'pg';
import { BenchContext } from './bench-context';

/** The PostgreSQL the *-PG scenarios and the raw pg ceilings use; `BENCH_POSTGRES_URL` overrides it. */
export const DEFAULT_BENCH_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const CONNECT_TIMEOUT_MS = 3_000;

export function benchPostgresUrl(): string {
  return process.env.BENCH_POSTGRES_URL || DEFAULT_BENCH_POSTGRES_URL;
}

/** The URL without its password, for notes and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}

/**
 * Whether PostgreSQL answers, asked once per run: undefined when it does, else the reason it
 * does not, which the *-PG scenarios report as not available instead of failing the suite.
 */
export function postgresUnreachable(context: BenchContext): Promise<string | undefined> {
  return context.memo('postgres-reachable', async () => {
    const url = benchPostgresUrl();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message || error.constructor.name : String(error);
      return `PostgreSQL is not reachable at ${describePostgresUrl(url)} (${message}); set BENCH_POSTGRES_URL to measure it`;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

/**
 * A schema name of this run only (the process id makes it unique among runs on one server), so
 * it never meets the tests' schemas or the live `ledger_read`.
 */
export function runSchema(label: string): string {
  return `bench_${label}_${process.pid}`;
}

/** Runs one statement on a short-lived connection. */
export async function withPostgres<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'assurance-ledger bench' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  await withPostgres(url, async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
}
