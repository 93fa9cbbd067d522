import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { measureRawScan } from '../ceilings/raw-scan';
import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { ingestedLedger } from '../harness/ingested-ledger';
import { snapshotBuild } from '../harness/ledger-server';
import { Figure, ScenarioResult } from '../harness/scenario';

const TARGET_RATIO = 0.35;
const TARGET_EVENTS = 1_000_000;
/** The package.json script `projections:rebuild` runs this entry point. */
const REBUILD_ENTRY = 'apps/ledger-cli/src/rebuild-projections.js';

export interface RebuildReport {
  eventsApplied: number;
  elapsedMs: number;
}

/**
 * The rebuild command over the ledger that B9 filled, against a raw scan of
 * that same events table: the ceiling reads exactly the rows the rebuild reads.
 */
async function measureRebuild(context: BenchContext): Promise<ScenarioResult> {
  const ledger = await ingestedLedger(context);
  const ceilingValue = await context.ceiling('rawScanLedger', async () => {
    context.log("measuring the raw scan ceiling over the ledger's own events table");
    return { ...measureRawScan(ledger.eventsPath), name: 'raw scan ceiling (ledger events table)' };
  });
  const { root } = await snapshotBuild(context);
  context.log(`B4: rebuilding every read model from ${ledger.load.events.toLocaleString('en-US')} events`);
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, REBUILD_ENTRY), '--json'], {
    env: {
      ...process.env,
      LEDGER_LOG_LEVEL: 'warn',
      LEDGER_SQLITE_PATH: ledger.eventsPath,
      LEDGER_READ_MODEL_PATH: join(ledger.dataDir, 'rebuilt-read-models.sqlite'),
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as RebuildReport;
  return rebuildResult(report, ceilingValue);
}

/** A rebuild's figures against a ceiling in events or rows per second, and its verdict against B4's target; B4 and B4-PG share it. */
export function rebuildResult(report: RebuildReport, ceiling: Figure, notes: string[] = []): ScenarioResult {
  const rate = report.eventsApplied / (report.elapsedMs / 1000);
  const ratio = rate / ceiling.value;
  if (report.eventsApplied < TARGET_EVENTS)
    notes.push(
      `rebuilt from ${report.eventsApplied.toLocaleString('en-US')} of the target's ${TARGET_EVENTS.toLocaleString('en-US')} events`,
    );
  if (ratio < TARGET_RATIO) notes.push(`missed by ${((TARGET_RATIO - ratio) * 100).toFixed(1)} points of the ceiling`);
  return {
    status: 'measured',
    ratio,
    ceiling,
    figures: [
      { name: 'rebuilt', value: rate, unit: 'events/s' },
      { name: 'events', value: report.eventsApplied, unit: 'events', inTable: true },
      { name: 'duration (as the command reports it)', value: report.elapsedMs / 1000, unit: 's' },
    ],
    targetMet: ratio < TARGET_RATIO ? false : report.eventsApplied >= TARGET_EVENTS ? true : undefined,
    notes,
  };
}

export const projectionRebuild = capabilityScenario({
  id: 'B4',
  title: 'Projection rebuild of all read models from 1,000,000 events',
  target: '>= 35% of the raw scan ceiling (events/s)',
  needs: { builtEntry: REBUILD_ENTRY, description: 'the projections:rebuild command' },
  measure: measureRebuild,
});
