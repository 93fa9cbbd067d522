export * from './stream-state-cache';
