import { BenchContext } from '../harness/bench-context';
import { Figure } from '../harness/scenario';
import { HttpLoadResult } from '../harness/http-load';
import { referenceEstate } from '../harness/reference-estate';
import { driveNoopServer, startNoopServer } from './http-noop';
import { ChildServer } from '../harness/child-server';
import { measureRawAppend, RawAppendCeiling } from './raw-append';
import { measureRawScan } from './raw-scan';
import { measureRawPgInsert, measureRawPgScan, RawPgTable } from './raw-pg';
import { benchPostgresUrl, dropSchemas, runSchema } from '../harness/postgres';

/** Connections used by the HTTP ceiling and by the single-request scenarios it is compared with. */
export const HTTP_CONNECTIONS = 64;

function rawAppend(context: BenchContext): Promise<RawAppendCeiling> {
  return context.memo('raw-append-table', async () => {
    const estate = await referenceEstate(context);
    context.log(`measuring the raw append ceiling (${estate.events.length} events)`);
    return measureRawAppend(estate.events, context.scratchDir('raw-append'));
  });
}

export function rawAppendCeiling(context: BenchContext): Promise<Figure> {
  return context.ceiling('rawAppend', async () => (await rawAppend(context)).figure);
}

export function rawScanCeiling(context: BenchContext): Promise<Figure> {
  return context.ceiling('rawScan', async () => {
    const table = await rawAppend(context);
    context.log('measuring the raw scan ceiling');
    return measureRawScan(table.databasePath);
  });
}

/**
 * The raw `pg` insert ceiling's table, once per run, in a scratch schema dropped at the end of
 * the run (the scan ceiling reads it back first). Callers check that PostgreSQL answers.
 */
function rawPgTable(context: BenchContext): Promise<RawPgTable> {
  return context.memo('raw-pg-table', async () => {
    const url = benchPostgresUrl();
    const schema = runSchema('ceiling');
    // Held in memory before the clock starts; 200,000 rows take a few seconds a pass, enough for a stable rate.
    const rows = context.size(20_000, 200_000);
    context.defer(() => dropSchemas(url, [schema]));
    context.log(`measuring the raw pg insert ceiling (${rows.toLocaleString('en-US')} authentications-shaped rows)`);
    return measureRawPgInsert(url, schema, rows);
  });
}

export function rawPgInsertCeiling(context: BenchContext): Promise<Figure> {
  return context.ceiling('rawPgInsert', async () => (await rawPgTable(context)).figure);
}

export function rawPgScanCeiling(context: BenchContext): Promise<Figure> {
  return context.ceiling('rawPgScan', async () => {
    const table = await rawPgTable(context);
    context.log('measuring the raw pg scan ceiling');
    return measureRawPgScan(benchPostgresUrl(), table);
  });
}

function noopServer(context: BenchContext): Promise<ChildServer> {
  return context.memo('noop-server', async () => {
    const server = await startNoopServer();
    context.defer(() => server.stop());
    // Unmeasured: a ceiling is the best case, so its code is optimised before it counts.
    await driveNoopServer(server, HTTP_CONNECTIONS, context.size(1, 3));
    return server;
  });
}

export interface HttpCeilingBracket {
  ceiling: Figure;
  before: HttpLoadResult;
  after: HttpLoadResult;
}

/**
 * The HTTP ceiling measured in two halves, one right before and one right
 * after the scenario's own load, so that a change in what else the shared
 * machine runs weighs on both sides of the ratio; the two halves also show
 * how much the background moved.
 */
export async function withHttpCeiling<T>(
  context: BenchContext,
  scenarioId: string,
  measure: () => Promise<T>,
): Promise<{ measured: T; bracket: HttpCeilingBracket }> {
  const server = await noopServer(context);
  const halfSeconds = Math.max(1, Math.round(context.size(4, context.options.loadSeconds) / 2));
  context.log(`${scenarioId}: HTTP ceiling, first half (${HTTP_CONNECTIONS} connections, ${halfSeconds} s)`);
  const before = await driveNoopServer(server, HTTP_CONNECTIONS, halfSeconds);
  const measured = await measure();
  context.log(`${scenarioId}: HTTP ceiling, second half`);
  const after = await driveNoopServer(server, HTTP_CONNECTIONS, halfSeconds);
  const answered = before.requestsPerSecond * before.seconds + after.requestsPerSecond * after.seconds;
  const ceiling = await context.ceiling(`http${scenarioId}`, async () => ({
    name: `HTTP ceiling around ${scenarioId}`,
    value: answered / (before.seconds + after.seconds),
    unit: 'req/s',
  }));
  return { measured, bracket: { ceiling, before, after } };
}
