export * from './postgres-read-model-store';
export * from './rebuild-postgres-read-models';
