// Setup of the `e2e-eventstoredb` jest project: every ledger a test starts runs on the EventStoreDB adapter (e2e-store.ts).
process.env.LEDGER_E2E_STORE = 'eventstoredb';
