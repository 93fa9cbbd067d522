import { BenchContext } from './bench-context';
import { IngestedLedger, ingestedLedger } from './ingested-ledger';
import { LedgerServer, startLedgerServer } from './ledger-server';

export interface ServedLedger {
  server: LedgerServer;
  ledger: IngestedLedger;
  /** The checkpoint every read model reached before measuring. */
  position: number;
}

const CATCH_UP_TIMEOUT_MS = 30 * 60_000;

/**
 * A server on the ledger B9 filled, its read models caught up with every
 * event before anything is measured, so a query scenario measures the query
 * and not a catch-up. No checkpoint digests are written meanwhile. `env` adds
 * to the server's environment, e.g. read models in PostgreSQL.
 */
export async function serveIngestedLedger(context: BenchContext, env: Record<string, string> = {}): Promise<ServedLedger> {
  const ledger = await ingestedLedger(context);
  const server = await startLedgerServer(context, {
    dataDir: ledger.dataDir,
    env: { LEDGER_CHECKPOINT_INTERVAL_MS: '0', LEDGER_LOG_LEVEL: 'warn', ...env },
  });
  try {
    return { server, ledger, position: await readModelsCaughtUp(server) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Waits until every read model is live with no lag and answers the position they reached: a
 * scenario that measures requests after loading a history measures the requests, not the
 * projections catching up with that history on the same cores.
 */
export async function readModelsCaughtUp(server: LedgerServer): Promise<number> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${server.url}/v1/projections`, { headers: server.headers });
    const { projections } = (await response.json()) as {
      projections: Array<{ status: string; checkpoint: number; lag: { events: number | null } }>;
    };
    if (projections.every((projection) => projection.status === 'live' && projection.lag.events === 0)) {
      return Math.min(...projections.map((projection) => projection.checkpoint));
    }
    if (Date.now() > deadline) throw new Error('the read models did not catch up with the loaded history in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Percentile of sorted values, nearest rank. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
