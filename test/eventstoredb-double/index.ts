export * from './eventstoredb-double';
