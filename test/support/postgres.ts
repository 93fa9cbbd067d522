import pg from 'pg';

/**
 * The PostgreSQL the tests use: the one the machine runs (LEDGER_POSTGRES_URL, or the local
 * `test` database). Tests never start one; each isolates itself in a schema of its own.
 */
export const TEST_POSTGRES_URL = process.env.LEDGER_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;

/** A schema name no other test, worker or run uses at the same time. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** Fails the suite at once, and says why, when PostgreSQL is not there. */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${TEST_POSTGRES_URL} (${error instanceof Error ? error.message : String(error)}). ` +
        'These tests need a running PostgreSQL; set LEDGER_POSTGRES_URL to one the tests may create schemas in.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function queryPostgres<Row extends pg.QueryResultRow = any>(sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
