import Database from 'better-sqlite3';
import type { Figure } from '../harness/scenario';

interface ScannedRow {
  global_position: number;
  data: string;
  metadata: string;
}

/** Passes over the table; the median is kept so one noisy pass neither lifts nor sinks the ceiling. */
const PASSES = 3;

/** better-sqlite3 iterating the reference table in global order, with JSON.parse of data and metadata. */
export function measureRawScan(databasePath: string): Figure {
  const db = new Database(databasePath, { readonly: true });
  try {
    const scan = db.prepare<[], ScannedRow>('SELECT * FROM events ORDER BY global_position');
    const rates: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      let count = 0;
      let checksum = 0;
      const started = process.hrtime.bigint();
      for (const row of scan.iterate()) {
        const data = JSON.parse(row.data);
        const metadata = JSON.parse(row.metadata);
        // Touch the parsed values so the work cannot be optimised away.
        checksum += (data === null ? 0 : 1) + (metadata === null ? 0 : 1);
        count++;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (checksum !== 2 * count) throw new Error('raw scan parsed fewer rows than it read');
      rates.push(count / seconds);
    }
    rates.sort((a, b) => a - b);
    return { name: 'raw scan ceiling', value: rates[Math.floor(PASSES / 2)], unit: 'events/s' };
  } finally {
    db.close();
  }
}
