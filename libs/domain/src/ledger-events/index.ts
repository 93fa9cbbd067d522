export * from './ledger-events';
export * from './stored-event-upcasting';
