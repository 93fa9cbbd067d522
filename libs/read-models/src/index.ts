export * from './read-model-store.port';
export * from './sqlite/sqlite-read-model-store';
export * from './ledger-projections';
export * from './projection-runner';
export * from './read-model-lock';
export * from './rebuild-read-models';
export * from './postgres';
export * from './read-model-rows';
