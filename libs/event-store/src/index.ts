export * from './event-store.port';
export * from './event-store.errors';
export * from './sqlite';
export * from './eventstoredb';
