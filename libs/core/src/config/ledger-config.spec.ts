import { ConfigurationError, loadLedgerConfig } from './ledger-config';

describe('ledger configuration from the environment', () => {
  it('runs on the embedded SQLite store on loopback with no settings at all', () => {
    expect(loadLedgerConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      store: 'sqlite',
      sqlitePath: 'data/ledger.sqlite',
      readModelPath: 'data/read-models.sqlite',
      bodyLimitBytes: 5 * 1024 * 1024,
      maxBatchSize: 1000,
      logLevel: 'log',
      role: 'all',
      readyMaxProjectionLagSeconds: 300,
    });
  });

  it('switches to EventStoreDB only with a connection string', () => {
    expect(() => loadLedgerConfig({ LEDGER_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(loadLedgerConfig({ LEDGER_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false' })).toMatchObject({
      store: 'eventstoredb',
      eventStoreConnectionString: 'esdb://db:2113?tls=false',
    });
  });

  it('keeps the read models in SQLite by default, in PostgreSQL only with a connection string', () => {
    expect(loadLedgerConfig({})).toMatchObject({ readModels: 'sqlite', postgresUrl: undefined, postgresSchema: 'ledger_read' });
    expect(() => loadLedgerConfig({ LEDGER_READ_MODELS: 'postgres' })).toThrow(/LEDGER_POSTGRES_URL/);
    expect(() => loadLedgerConfig({ LEDGER_READ_MODELS: 'mysql' })).toThrow(/LEDGER_READ_MODELS must be "sqlite" or "postgres"/);
    expect(
      loadLedgerConfig({
        LEDGER_READ_MODELS: 'postgres',
        LEDGER_POSTGRES_URL: 'postgres://ledger@db/ledger',
        LEDGER_POSTGRES_SCHEMA: 'reads',
      }),
    ).toMatchObject({ readModels: 'postgres', postgresUrl: 'postgres://ledger@db/ledger', postgresSchema: 'reads' });
    expect(() =>
      loadLedgerConfig({ LEDGER_READ_MODELS: 'postgres', LEDGER_POSTGRES_URL: 'postgres://db/x', LEDGER_POSTGRES_SCHEMA: 'Reads; drop' }),
    ).toThrow(/LEDGER_POSTGRES_SCHEMA must be a lower-case identifier/);
  });

  it.each([
    [{ LEDGER_STORE: 'postgres' }, /LEDGER_STORE must be "sqlite" or "eventstoredb", got "postgres"/],
    [{ PORT: 'eighty' }, /PORT must be an integer from 0 to 65535, got "eighty"/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ LEDGER_MAX_BATCH_SIZE: '5000' }, /LEDGER_MAX_BATCH_SIZE must be an integer from 1 to 1000/],
    [{ LEDGER_LOG_LEVEL: 'loud' }, /LEDGER_LOG_LEVEL must be one of error, warn, log, debug, verbose/],
    [{ LEDGER_ROLE: 'worker' }, /LEDGER_ROLE must be one of all, api, projector, got "worker"/],
    [{ LEDGER_READY_MAX_PROJECTION_LAG_SECONDS: '-1' }, /LEDGER_READY_MAX_PROJECTION_LAG_SECONDS must be an integer/],
  ])('refuses %j naming the variable and the allowed values', (env, message) => {
    expect(() => loadLedgerConfig(env)).toThrow(ConfigurationError);
    expect(() => loadLedgerConfig(env)).toThrow(message);
  });
});
