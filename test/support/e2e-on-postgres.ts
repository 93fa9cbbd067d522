// Setup of the `e2e-postgres` jest project: every ledger a test starts keeps its read models in PostgreSQL, in a schema of its own (e2e-store.ts).
process.env.LEDGER_E2E_READ_MODELS = 'postgres';
