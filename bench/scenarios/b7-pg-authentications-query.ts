import { rawPgScanCeiling } from '../ceilings';
import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { serveIngestedLedger } from '../harness/ingested-ledger-server';
import { postgresUnreachable } from '../harness/postgres';
import { rebuiltPostgresReadModels } from '../harness/postgres-read-models';
import { notAvailable, ScenarioResult } from '../harness/scenario';
import { latencyResult, queryAuthentications, TARGET_P99_MS } from './b7-authentications-query';

/**
 * B7's queries against a server whose read models are in PostgreSQL: the ones B4-PG rebuilt
 * from the ledger B9 filled (rebuilt here if B4-PG did not run), so the server starts caught up.
 * The target is B7's p99; the rows the pages returned per second of request time are also
 * reported as a ratio of the raw pg scan ceiling, for information (no target).
 */
async function measurePostgresAuthenticationsQuery(context: BenchContext): Promise<ScenarioResult> {
  const unreachable = await postgresUnreachable(context);
  if (unreachable) return notAvailable(unreachable);
  const readModels = await rebuiltPostgresReadModels(context);
  const ceilingValue = await rawPgScanCeiling(context);
  const { server, ledger, position } = await serveIngestedLedger(context, readModels.env);
  try {
    const run = await queryAuthentications(context, server);
    const result = latencyResult(run, ledger.load.events, position);
    const rate = run.rows / run.seconds;
    result.ratio = rate / ceilingValue.value;
    result.ceiling = ceilingValue;
    result.figures.push({ name: 'rows read per second of request time', value: rate, unit: 'rows/s', inTable: true });
    result.notes.unshift(
      `read models in PostgreSQL schema ${readModels.schema}; the ratio is rows/s read through the API ÷ the raw pg scan ceiling (no target)`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

export const postgresAuthenticationsQuery = capabilityScenario({
  id: 'B7-PG',
  title: 'Authentications query, filtered page of 100, at 1,000,000 events, read models in PostgreSQL',
  target: `p99 <= ${TARGET_P99_MS} ms (rows/s read shown as a ratio of the raw pg scan ceiling)`,
  needs: { endpoint: { method: 'GET', path: '/v1/audit/authentications?channel=vpn&limit=100' } },
  measure: measurePostgresAuthenticationsQuery,
});
