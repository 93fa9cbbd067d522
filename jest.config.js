/** One config for all three tiers; the suffix names the tier (see README). */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@ledger/core(|/.*)$': '<rootDir>/libs/core/src$1',
    '^@ledger/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@ledger/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
    '^@ledger/read-models(|/.*)$': '<rootDir>/libs/read-models/src$1',
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
