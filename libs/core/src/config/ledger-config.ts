import { version as PRODUCT_VERSION } from '../../../../package.json';

export type StoreKind = 'sqlite' | 'eventstoredb';

/** Where the read models live: a SQLite file next to one host's processes, or PostgreSQL that replicas on any host share. */
export type ReadModelsKind = 'sqlite' | 'postgres';

const PROCESS_ROLES = ['all', 'api', 'projector'] as const;
/** `api` serves HTTP without projecting; `projector` only projects (and answers health and metrics); `all` does both. */
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LedgerConfig {
  host: string;
  port: number;
  store: StoreKind;
  sqlitePath: string;
  /** How long a write waits for another process's lock on the SQLite file before answering 503. */
  sqliteBusyTimeoutMs: number;
  eventStoreConnectionString: string | undefined;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Shape bounds on every JSON body, checked on the raw text before it is parsed. */
  jsonMaxDepth: number;
  jsonMaxObjectKeys: number;
  jsonMaxValues: number;
  jsonMaxStringLength: number;
  /** Largest accepted batch, in events. */
  maxBatchSize: number;
  /** SQLite file of the read models; separate from the events so it can be dropped and rebuilt. */
  readModelPath: string;
  readModels: ReadModelsKind;
  /** node-postgres connection string of the read models, with LEDGER_READ_MODELS=postgres. */
  postgresUrl: string | undefined;
  /** The schema that holds the read models in PostgreSQL. */
  postgresSchema: string;
  /** Longest a query with ?minPosition waits for the projections before answering 503. */
  consistencyWaitMs: number;
  /** JSON file of API key records (hashes only). */
  apiKeysFile: string;
  /** API key records as JSON, for containers that cannot mount a file; added to those in the file. */
  apiKeysInline: string | undefined;
  /** Requests per minute per API key, all routes together, before 429. */
  rateLimitPerMinute: number;
  /** Failed authentications per minute per client address before 429; checked before any key is hashed. */
  authFailuresPerMinute: number;
  /** Key of the keyed hash that replaces IP addresses in exports shared outside; exports refuse to pseudonymise without it. */
  pseudonymisationKey: string | undefined;
  /** How often a checkpoint digest is recorded; 0 turns the timer off. */
  checkpointIntervalMs: number;
  /** How often due exceptions are expired; at most a minute, so no expiry is recorded more than a minute late. */
  exceptionSweepIntervalMs: number;
  /** Reported in exports and health. */
  productVersion: string;
  /** Least severe level that is logged. */
  logLevel: LogLevel;
  /** What this process does; several `api` processes share the read models one `projector` writes. */
  role: ProcessRole;
  /** `/health/ready` answers 503 when the read models are further behind than this, in seconds; 0 leaves the lag out. */
  readyMaxProjectionLagSeconds: number;
}

export class ConfigurationError extends Error {
  readonly name = 'ConfigurationError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'log';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigurationError(`LEDGER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

function processRole(raw: string | undefined): ProcessRole {
  if (raw === undefined || raw === '') return 'all';
  if (!(PROCESS_ROLES as readonly string[]).includes(raw)) {
    throw new ConfigurationError(`LEDGER_ROLE must be one of ${PROCESS_ROLES.join(', ')}, got "${raw}"`);
  }
  return raw as ProcessRole;
}

/** Every setting comes from the environment and has a safe default for a laptop. */
export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const store = (env.LEDGER_STORE ?? 'sqlite') as StoreKind;
  if (store !== 'sqlite' && store !== 'eventstoredb') {
    throw new ConfigurationError(`LEDGER_STORE must be "sqlite" or "eventstoredb", got "${env.LEDGER_STORE}"`);
  }
  const eventStoreConnectionString = env.EVENTSTORE_CONNECTION_STRING || undefined;
  if (store === 'eventstoredb' && !eventStoreConnectionString) {
    throw new ConfigurationError('LEDGER_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false');
  }
  const readModels = (env.LEDGER_READ_MODELS || 'sqlite') as ReadModelsKind;
  if (readModels !== 'sqlite' && readModels !== 'postgres') {
    throw new ConfigurationError(`LEDGER_READ_MODELS must be "sqlite" or "postgres", got "${env.LEDGER_READ_MODELS}"`);
  }
  const postgresUrl = env.LEDGER_POSTGRES_URL || undefined;
  if (readModels === 'postgres' && !postgresUrl) {
    throw new ConfigurationError('LEDGER_READ_MODELS=postgres needs LEDGER_POSTGRES_URL, e.g. postgres://ledger@db:5432/ledger');
  }
  const postgresSchema = env.LEDGER_POSTGRES_SCHEMA || 'ledger_read';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(postgresSchema)) {
    throw new ConfigurationError(
      `LEDGER_POSTGRES_SCHEMA must be a lower-case identifier of letters, digits and _ (at most 51), got "${postgresSchema}"`,
    );
  }
  return {
    host: env.LEDGER_HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    store,
    sqlitePath: env.LEDGER_SQLITE_PATH ?? 'data/ledger.sqlite',
    sqliteBusyTimeoutMs: integer(env, 'LEDGER_SQLITE_BUSY_TIMEOUT_MS', 5000, 0, 600_000),
    eventStoreConnectionString,
    bodyLimitBytes: integer(env, 'LEDGER_BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    jsonMaxDepth: integer(env, 'LEDGER_JSON_MAX_DEPTH', 32, 8, 1000),
    jsonMaxObjectKeys: integer(env, 'LEDGER_JSON_MAX_OBJECT_KEYS', 1000, 10, 100_000),
    jsonMaxValues: integer(env, 'LEDGER_JSON_MAX_VALUES', 200_000, 100, 10_000_000),
    jsonMaxStringLength: integer(env, 'LEDGER_JSON_MAX_STRING_LENGTH', 16_384, 1000, 10_000_000),
    maxBatchSize: integer(env, 'LEDGER_MAX_BATCH_SIZE', 1000, 1, 1000),
    readModelPath: env.LEDGER_READ_MODEL_PATH ?? 'data/read-models.sqlite',
    readModels,
    postgresUrl,
    postgresSchema,
    consistencyWaitMs: integer(env, 'LEDGER_CONSISTENCY_WAIT_MS', 5000, 0, 60_000),
    apiKeysFile: env.LEDGER_API_KEYS_FILE ?? 'data/api-keys.json',
    apiKeysInline: env.LEDGER_API_KEYS || undefined,
    rateLimitPerMinute: integer(env, 'LEDGER_RATE_LIMIT_PER_MINUTE', 360_000, 1, 100_000_000),
    authFailuresPerMinute: integer(env, 'LEDGER_AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
    pseudonymisationKey: env.LEDGER_PSEUDONYMISATION_KEY || undefined,
    checkpointIntervalMs: integer(env, 'LEDGER_CHECKPOINT_INTERVAL_MS', 3_600_000, 0, 31 * 24 * 3_600_000),
    exceptionSweepIntervalMs: integer(env, 'LEDGER_EXCEPTION_SWEEP_INTERVAL_MS', 30_000, 100, 60_000),
    productVersion: PRODUCT_VERSION,
    logLevel: logLevel(env.LEDGER_LOG_LEVEL),
    role: processRole(env.LEDGER_ROLE),
    readyMaxProjectionLagSeconds: integer(env, 'LEDGER_READY_MAX_PROJECTION_LAG_SECONDS', 300, 0, 7 * 86_400),
  };
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
