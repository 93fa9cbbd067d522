/**
 * One project per test tier, named by the file suffix (see README), and the e2e tier once more on
 * the EventStoreDB adapter, over real gRPC to the in-repo double, and once more with the read models in
 * PostgreSQL. `npm test` runs every project;
 * `npm run test:unit`, `test:int` and `test:e2e` run one tier.
 */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@ledger/core(|/.*)$': '<rootDir>/libs/core/src$1',
    '^@ledger/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@ledger/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
    '^@ledger/read-models(|/.*)$': '<rootDir>/libs/read-models/src$1',
  },
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/**
 * Tests that are about one store's own files or processes, or that start their own store: on the
 * EventStoreDB project they would only repeat their SQLite run. Each still runs once, in `e2e`.
 */
const SQLITE_ONLY_E2E = [
  'test/durability/', // kills the server and checks the SQLite file
  'test/faults/', // a full disk under SQLite; an outage of the double, already on EventStoreDB
  'test/projections/projection-crash', // writes straight into the SQLite event file
  'test/operations/process-roles', // three processes on one SQLite file
  'test/audit/ledger-cli', // the CLI on a SQLite file
  'test/console/', // the browser above the API: the store makes no difference to it
  'test/audit/tamper-evidence', // edits the SQLite file's bytes
  '-eventstoredb\\.e2e-spec\\.ts$', // already on the double
];

/** Tests that choose PostgreSQL read models themselves, for processes on shared read models: they run once, in `e2e`. */
const ON_POSTGRES_ALREADY = ['-on-postgres\\.e2e-spec\\.ts$'];

/**
 * The e2e tier once more with the read models in PostgreSQL (`e2e-postgres`), in a schema per ledger,
 * on the PostgreSQL the machine runs (LEDGER_POSTGRES_URL, or the local `test` database); it fails at
 * once, saying so, when that is unreachable.
 */
module.exports = {
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testRegex: '.*\\.spec\\.ts$' },
    { ...shared, displayName: 'int', testRegex: '.*\\.int-spec\\.ts$' },
    { ...shared, displayName: 'e2e', testRegex: '.*\\.e2e-spec\\.ts$' },
    {
      ...shared,
      displayName: 'e2e-postgres',
      testRegex: '.*\\.e2e-spec\\.ts$',
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, ...SQLITE_ONLY_E2E, ...ON_POSTGRES_ALREADY],
      setupFiles: [...shared.setupFiles, '<rootDir>/test/support/e2e-on-postgres.ts'],
    },
    {
      ...shared,
      displayName: 'e2e-eventstoredb',
      testRegex: '.*\\.e2e-spec\\.ts$',
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, ...SQLITE_ONLY_E2E, ...ON_POSTGRES_ALREADY],
      setupFiles: [...shared.setupFiles, '<rootDir>/test/support/e2e-on-eventstoredb.ts'],
    },
  ],
};
