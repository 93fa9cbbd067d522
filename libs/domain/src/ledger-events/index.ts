export * from './ledger-events';
