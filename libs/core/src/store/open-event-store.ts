import { createEventStoreDbEventStore, EventStore, SqliteEventStore } from '@ledger/event-store';
import { LedgerConfig } from '../config/ledger-config';

/** The adapter behind the port, as configured; the API and the CLI open the store the same way. */
export function openEventStore(config: LedgerConfig): EventStore {
  if (config.store === 'eventstoredb') return createEventStoreDbEventStore(config.eventStoreConnectionString!);
  return new SqliteEventStore({ path: config.sqlitePath, busyTimeoutMs: config.sqliteBusyTimeoutMs });
}
