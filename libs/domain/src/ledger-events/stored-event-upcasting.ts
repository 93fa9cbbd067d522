import { SchemaVersionError, upcast, UpcastResult } from '../event-catalog/upcasting';
import { isLedgerEventType, LEDGER_SCHEMA_VERSIONS } from './ledger-events';

/**
 * Upcasts any event read from a subject or policy stream: catalog types go
 * through the catalog's upcasters, ledger types through their own version
 * table. Ledger types have one version so far, so only the range is checked.
 */
export function upcastStoredEvent(type: string, schemaVersion: number, data: unknown): UpcastResult {
  if (!isLedgerEventType(type)) return upcast(type as never, schemaVersion, data);
  const latest = LEDGER_SCHEMA_VERSIONS[type];
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > latest) {
    throw new SchemaVersionError(type as never, schemaVersion, `${type} has schemaVersion ${String(schemaVersion)}; this code reads 1 to ${latest}`);
  }
  return { schemaVersion, data };
}
