import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { percentile, serveIngestedLedger } from '../harness/ingested-ledger-server';
import { LedgerServer } from '../harness/ledger-server';
import { ScenarioResult } from '../harness/scenario';

export const TARGET_P99_MS = 50;
const TARGET_EVENTS = 1_000_000;
const PAGE = 100;

/**
 * Filters an auditor asks, over the generated estate (see libs/estate-generator):
 * each a different index or a filter walked along one, from common to rare.
 */
const FILTERS = [
  'channel=vpn',
  'applicationId=payroll',
  'applicationId=corp-vpn&from=2026-02-01T00:00:00Z&to=2026-02-28T23:59:59Z',
  'verdict=violation',
  'subjectId=emp-0000042',
  'channel=web&minAal=3',
  'applicationId=prod-bastion&verdict=compliant&minAal=2',
  'from=2026-03-01T00:00:00Z&to=2026-03-07T23:59:59Z',
];

interface Sample {
  filter: string;
  ms: number;
}

export interface AuthenticationsQueryRun {
  samples: Sample[];
  /** Rows the measured pages returned. */
  rows: number;
  /** Sum of the measured requests' times: the time spent reading those rows. */
  seconds: number;
}

/**
 * Filtered pages of 100 from the authentications query of a served ledger,
 * one request at a time (latency without queueing behind our own load): for
 * each filter its first page, and the next pages by cursor.
 */
export async function queryAuthentications(context: BenchContext, server: LedgerServer): Promise<AuthenticationsQueryRun> {
  const rounds = context.size(10, 40);
  const pagesPerRound = 3;
  const samples: Sample[] = [];
  let rows = 0;
  const fetchPage = async (filter: string, cursor: string | null) => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}/v1/audit/authentications?${filter}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: server.headers,
    });
    const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 200)
      throw new Error(`GET /v1/audit/authentications?${filter} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { ms, body };
  };
  // One unmeasured pass warms the page cache and the prepared statements.
  for (const filter of FILTERS) await fetchPage(filter, null);
  for (let round = 0; round < rounds; round++) {
    for (const filter of FILTERS) {
      let cursor: string | null = null;
      for (let page = 0; page < pagesPerRound; page++) {
        const { ms, body } = await fetchPage(filter, cursor);
        samples.push({ filter, ms });
        rows += body.items.length;
        cursor = body.nextCursor;
        if (!cursor) break;
      }
    }
  }
  return { samples, rows, seconds: samples.reduce((sum, sample) => sum + sample.ms, 0) / 1000 };
}

/** B7's figures, verdict and notes from a run of the queries over a ledger of `events` sent, read at `position`. */
export function latencyResult(run: AuthenticationsQueryRun, events: number, position: number): ScenarioResult {
  const { samples, rows } = run;
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const p99 = percentile(sorted, 0.99);
  const worstByFilter = FILTERS.map((filter) => {
    const own = samples
      .filter((sample) => sample.filter === filter)
      .map((sample) => sample.ms)
      .sort((a, b) => a - b);
    return `${filter}: p50 ${percentile(own, 0.5).toFixed(1)} ms, p99 ${percentile(own, 0.99).toFixed(1)} ms`;
  });
  const notes: string[] = [];
  if (events < TARGET_EVENTS)
    notes.push(
      `at ${events.toLocaleString('en-US')} events sent (head position ${position.toLocaleString('en-US')}), not the target's ${TARGET_EVENTS.toLocaleString('en-US')}`,
    );
  if (p99 > TARGET_P99_MS) notes.push(`p99 over target by ${(p99 - TARGET_P99_MS).toFixed(1)} ms`);
  notes.push(...worstByFilter);
  return {
    status: 'measured',
    figures: [
      { name: 'p99', value: p99, unit: 'ms' },
      { name: 'p50', value: percentile(sorted, 0.5), unit: 'ms', inTable: true },
      { name: 'pages', value: samples.length, unit: 'pages', inTable: true },
      { name: 'rows read', value: rows, unit: 'rows' },
      { name: 'head position', value: position, unit: 'events', inTable: true },
    ],
    targetMet: p99 > TARGET_P99_MS ? false : events >= TARGET_EVENTS ? true : undefined,
    notes,
  };
}

/** B7 on the ledger B9 filled, its read models in SQLite. */
async function measureAuthenticationsQuery(context: BenchContext): Promise<ScenarioResult> {
  const { server, ledger, position } = await serveIngestedLedger(context);
  try {
    return latencyResult(await queryAuthentications(context, server), ledger.load.events, position);
  } finally {
    await server.stop();
  }
}

export const authenticationsQuery = capabilityScenario({
  id: 'B7',
  title: 'Authentications query, filtered page of 100, at 1,000,000 events',
  target: `p99 <= ${TARGET_P99_MS} ms`,
  needs: { endpoint: { method: 'GET', path: '/v1/audit/authentications?channel=vpn&limit=100' } },
  measure: measureAuthenticationsQuery,
});
