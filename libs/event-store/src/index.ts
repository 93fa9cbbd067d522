export * from './event-store.port';
export * from './event-store.errors';
export * from './hash-chain';
export * from './stream-state';
export * from './command-path';
export * from './paged-reads';
export * from './sqlite';
export * from './eventstoredb';
