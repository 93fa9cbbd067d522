import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadLedgerConfig } from '@ledger/core';
import { createLedgerApp } from './ledger-app';

async function bootstrap(): Promise<void> {
  // Every file the ledger creates (events, read models, keys, locks) is for its owner only.
  process.umask(0o077);
  const config = loadLedgerConfig();
  const app = await createLedgerApp(config);
  await app.listen(config.port, config.host);
  const where = config.store === 'sqlite' ? `SQLite file ${config.sqlitePath}` : 'EventStoreDB';
  Logger.log(`Assurance Ledger listening on http://${config.host}:${config.port} (store: ${where})`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  Logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
  process.exit(1);
});
