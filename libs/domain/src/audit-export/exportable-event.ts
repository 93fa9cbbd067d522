/** What an export needs of a stored event; the store's RecordedEvent satisfies it. */
export interface ExportableEvent {
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export function metadataString(event: ExportableEvent, key: string): string | undefined {
  const value = event.metadata[key];
  return typeof value === 'string' ? value : undefined;
}
