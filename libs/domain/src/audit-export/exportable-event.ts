import type { StoredEventFields } from '../ledger-events/stored-event-upcasting';

/** What an export needs of a stored event; the store's RecordedEvent satisfies it. */
export type ExportableEvent = StoredEventFields;

export function metadataString(event: ExportableEvent, key: string): string | undefined {
  const value = event.metadata[key];
  return typeof value === 'string' ? value : undefined;
}
