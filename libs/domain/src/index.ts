export * from './event-catalog';
export * from './decider';
export * from './subject';
export * from './ledger-events';
export * from './policy';
export * from './audit-export';
export * from './governance';
