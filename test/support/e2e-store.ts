import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { dropSchemas, requirePostgres, TEST_POSTGRES_URL, uniqueSchema } from './postgres';

/** The e2e suite's store: SQLite unless the jest project says otherwise (jest.config.js, `e2e-eventstoredb`). */
export const E2E_STORE = process.env.LEDGER_E2E_STORE === 'eventstoredb' ? 'eventstoredb' : 'sqlite';

/** The e2e suite's read models: SQLite unless the jest project says otherwise (jest.config.js, `e2e-postgres`). */
export const E2E_READ_MODELS = process.env.LEDGER_E2E_READ_MODELS === 'postgres' ? 'postgres' : 'sqlite';

/**
 * For tests that rely on SQLite's read models answering synchronously, so that two commands started
 * in the same turn interleave exactly as the test arranges; in PostgreSQL they interleave as the
 * database answers, and each test's invariant is covered by its order-free siblings.
 */
export const sqliteReadModelsOnly: jest.It = E2E_READ_MODELS === 'sqlite' ? it : it.skip;

/** For tests of SQLite's own behaviour (its files edited or locked, the CLI reading them, positions that count events): they do not apply to another store. */
export const sqliteOnly: jest.It = E2E_STORE === 'sqlite' ? it : it.skip;

export interface StoreUnderTest {
  /** Settings that point a ledger at this store. */
  env: Record<string, string>;
}

/**
 * The double that stands for each SQLite file: two ledgers a test points at the same file (two API
 * processes, a restart on the same data) share one store, as they would with the file itself.
 * They live as long as the test file's worker.
 */
const doublesByPath = new Map<string, Promise<EventStoreDbDouble>>();

/**
 * On the EventStoreDB project every ledger runs on the EventStoreDB adapter, over real gRPC to a
 * double of its own, so that tests which count positions or streams see only their own events,
 * as they do with a fresh SQLite file. A test that chose its store itself (LEDGER_STORE) keeps it.
 */
export async function storeUnderTest(settings: Record<string, string>): Promise<StoreUnderTest> {
  return { env: { ...(await eventStoreUnderTest(settings)), ...(await readModelsUnderTest(settings)) } };
}

/**
 * The schema that stands for each read-model file on the `e2e-postgres` project: a ledger pointed
 * at a fresh file gets a fresh schema, two pointed at the same file share one. Dropped when the
 * test file ends. A test that chose its read models itself (LEDGER_READ_MODELS) keeps them.
 */
const schemasByPath = new Map<string, string>();
let postgresChecked: Promise<void> | undefined;

async function readModelsUnderTest(settings: Record<string, string>): Promise<Record<string, string>> {
  if (E2E_READ_MODELS !== 'postgres' || settings.LEDGER_READ_MODELS !== undefined) return {};
  postgresChecked ??= requirePostgres();
  await postgresChecked;
  const path = settings.LEDGER_READ_MODEL_PATH;
  let schema = schemasByPath.get(path);
  if (!schema) schemasByPath.set(path, (schema = uniqueSchema('e2e')));
  return { LEDGER_READ_MODELS: 'postgres', LEDGER_POSTGRES_URL: TEST_POSTGRES_URL, LEDGER_POSTGRES_SCHEMA: schema };
}

async function eventStoreUnderTest(settings: Record<string, string>): Promise<Record<string, string>> {
  if (E2E_STORE !== 'eventstoredb' || settings.LEDGER_STORE !== undefined) return {};
  const path = settings.LEDGER_SQLITE_PATH;
  let double = doublesByPath.get(path);
  if (!double) {
    double = startEventStoreDbDouble({ batchAppend: true });
    doublesByPath.set(path, double);
  }
  return { LEDGER_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: (await double).connectionString };
}

afterAll(async () => {
  await Promise.all([...doublesByPath.values()].map(async (double) => (await double).stop()));
  doublesByPath.clear();
  if (schemasByPath.size > 0) await dropSchemas(...schemasByPath.values());
  schemasByPath.clear();
});
