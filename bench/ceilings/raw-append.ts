import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { EstateCloudEvent } from '../../libs/estate-generator/src';
import type { Figure } from '../harness/scenario';

/** Issue 9's fixed reference table: a better schema of the ledger's own shows up as a higher ratio. */
export const REFERENCE_SCHEMA = `
CREATE TABLE events (
  global_position INTEGER PRIMARY KEY,
  stream_id TEXT,
  stream_revision INTEGER,
  type TEXT,
  data TEXT,
  metadata TEXT,
  created_at INTEGER,
  UNIQUE(stream_id, stream_revision)
)`;

const ROWS_PER_TRANSACTION = 1000;

interface ReferenceRow {
  stream_id: string;
  stream_revision: number;
  type: string;
  data: string;
  metadata: string;
  created_at: number;
}

export interface RawAppendCeiling {
  figure: Figure;
  /** The filled reference table, which the raw scan ceiling reads. */
  databasePath: string;
}

/**
 * better-sqlite3 inserting the same events the HTTP scenario sends, with no
 * HTTP, validation or hashing: WAL, synchronous=FULL, default cache, 1000
 * rows per transaction. Rows are serialized before the clock starts, so the
 * figure is the store's alone.
 */
export function measureRawAppend(events: readonly EstateCloudEvent[], dir: string): RawAppendCeiling {
  const databasePath = join(dir, 'reference-events.sqlite');
  const db = new Database(databasePath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(REFERENCE_SCHEMA);
    const rows = referenceRows(events);
    const insert = db.prepare(
      'INSERT INTO events (stream_id, stream_revision, type, data, metadata, created_at) VALUES (@stream_id, @stream_revision, @type, @data, @metadata, @created_at)',
    );
    const insertChunk = db.transaction((chunk: ReferenceRow[]) => {
      for (const row of chunk) insert.run(row);
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) insertChunk(rows.slice(i, i + ROWS_PER_TRANSACTION));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { figure: { name: 'raw append ceiling', value: rows.length / seconds, unit: 'events/s' }, databasePath };
  } finally {
    db.close();
  }
}

/** The CloudEvents context goes into metadata, as the ledger stores it, minus the hashes it computes. */
function referenceRows(events: readonly EstateCloudEvent[]): ReferenceRow[] {
  const revisions = new Map<string, number>();
  const now = Date.now();
  return events.map((event) => {
    const streamId = `subject-${event.subject}`;
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return {
      stream_id: streamId,
      stream_revision: revision,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify({
        source: event.source,
        cloudEventId: event.id,
        subject: event.subject,
        time: event.time,
        schemaVersion: 1,
      }),
      created_at: now,
    };
  });
}
