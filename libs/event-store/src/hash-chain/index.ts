export * from './event-hash';
export * from './chain-events';
export * from './verify-chain';
export * from './keyed-mutex';
export * from './checkpoint-digest';
