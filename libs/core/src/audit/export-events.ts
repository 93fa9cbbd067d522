import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { EventStore, readAllPaged, RecordedEvent } from '@ledger/event-store';
import { OcsfMapper, toCloudEventLine } from '@ledger/domain';

export type ExportFormat = 'jsonl' | 'ocsf';

export interface ExportRequest {
  format: ExportFormat;
  /** Inclusive bounds on the time the event happened. */
  from?: Date;
  to?: Date;
  /** Key for the keyed hash that replaces IP addresses; absent means addresses are exported as stored. */
  pseudonymisationKey?: string;
  productVersion: string;
}

/** Whether the event happened within the inclusive bounds: the export's window, which the evidence report counts by too. */
export function within(event: RecordedEvent, from?: Date, to?: Date): boolean {
  if (!from && !to) return true;
  const time = Date.parse(String(event.metadata.time));
  return (!from || time >= from.getTime()) && (!to || time <= to.getTime());
}

export function pseudonymiserFor(key: string): (ip: string) => string {
  return (ip) => `pseudo:${createHmac('sha256', key).update(ip).digest('hex').slice(0, 32)}`;
}

/**
 * The export as NDJSON lines. Fed from a paged read of the store, memory
 * stays flat however long the history is; the HTTP layer and the CLI both
 * pipe it.
 */
export async function* exportLines(events: AsyncIterable<RecordedEvent>, request: ExportRequest): AsyncGenerator<string> {
  const pseudonymiseIp = request.pseudonymisationKey ? pseudonymiserFor(request.pseudonymisationKey) : undefined;
  if (request.format === 'jsonl') {
    for await (const event of events) {
      if (!within(event, request.from, request.to)) continue;
      const line = toCloudEventLine(event);
      const data = line.data as Record<string, unknown>;
      if (pseudonymiseIp && typeof data.ipAddress === 'string') line.data = { ...data, ipAddress: pseudonymiseIp(data.ipAddress) };
      yield JSON.stringify(line) + '\n';
    }
    return;
  }
  const mapper = new OcsfMapper({ productVersion: request.productVersion, pseudonymiseIp });
  for await (const event of events) {
    // Verdicts are written right after their authentication; keep them in view even at the window's edge.
    if (!within(event, request.from, request.to) && event.type !== 'assurance.authentication.evaluated') continue;
    for (const record of mapper.push(event)) yield JSON.stringify(record) + '\n';
  }
  for (const record of mapper.flush()) yield JSON.stringify(record) + '\n';
}

/** Lines gathered into chunks of about `size` characters: one socket write per line would cost more than the mapping. */
export async function* inChunks(lines: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export function exportStream(store: EventStore, request: ExportRequest): Readable {
  return Readable.from(inChunks(exportLines(readAllPaged(store), request)), { objectMode: false });
}
