import { Command, InvalidArgumentError } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchContext, BenchOptions } from './harness/bench-context';
import { readWindowFacts, ServerWindowFacts, summarizeProfiles } from './harness/cpu-profile-summary';
import { snapshotBuild } from './harness/ledger-server';
import { machineFacts, sourceFacts } from './harness/machine';
import { DEFAULT_WORK_DIR, REPO_ROOT, RESULTS_DIR } from './harness/paths';
import { formatFigure, formatTable, ScenarioOutcome } from './harness/results-table';
import { rawScanCeiling } from './ceilings';
import { Figure } from './harness/scenario';
import { SCENARIOS } from './scenarios';

function positiveInteger(raw: string): number {
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError('must be a positive integer');
  return value;
}

const program = new Command()
  .name('npm run bench --')
  .description('Issue 9 benchmark suite: every figure is a ratio to a ceiling measured in the same run.')
  .option('--only <ids>', 'comma-separated scenario ids, e.g. B1,B2')
  .option('--quick', 'small sizes and short runs: checks that the benchmarks still work, in under 2 minutes', false)
  .option('--seed <n>', 'seed of the generated estate', positiveInteger, 20261129)
  .option('--load-seconds <n>', 'measured seconds of each autocannon run in a full run', positiveInteger, 30)
  .option('--ingest-events <n>', 'events B1 sends and the raw append ceiling inserts in a full run', positiveInteger, 200_000)
  .option('--decision-subjects <n>', 'subjects seeded before B3 in a full run', positiveInteger, 100_000)
  .option('--memory-events <n>', 'events B9 ingests in a full run', positiveInteger, 2_000_000)
  .option('--profile', 'write a V8 CPU profile of each ledger server and print its hottest functions', false)
  .option('--work-dir <dir>', 'scratch directory for the SQLite files (on the disk you want measured)', DEFAULT_WORK_DIR)
  .option('--out <file>', 'results file', join(RESULTS_DIR, 'latest.json'))
  .parse();

interface CliOptions {
  only?: string;
  quick: boolean;
  seed: number;
  loadSeconds: number;
  ingestEvents: number;
  decisionSubjects: number;
  memoryEvents: number;
  profile: boolean;
  workDir: string;
  out: string;
}

async function main(): Promise<void> {
  const cli = program.opts<CliOptions>();
  const wanted = cli.only?.split(',').map((id) => id.trim().toUpperCase());
  const unknown = wanted?.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id)) ?? [];
  if (unknown.length > 0) program.error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const selected = SCENARIOS.filter((scenario) => !wanted || wanted.includes(scenario.id));

  const startedAt = new Date();
  // Beside the scratch files, which git ignores: profiles are tens of megabytes.
  const profileDir = cli.profile ? join(resolve(cli.workDir), 'profiles', startedAt.toISOString().replace(/[:.]/g, '-')) : undefined;
  const options: BenchOptions = {
    quick: cli.quick,
    seed: cli.seed,
    workDir: resolve(cli.workDir),
    cpuProfileDir: profileDir,
    ingestEvents: cli.ingestEvents,
    decisionSubjects: cli.decisionSubjects,
    memoryEvents: cli.memoryEvents,
    loadSeconds: cli.loadSeconds,
  };
  const context = new BenchContext(options);
  // On Ctrl-C, exit normally: the child servers are killed on exit, and the scratch files go with them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      context.removeScratchDirs();
      process.exit(130);
    });
  }
  const machineBefore = machineFacts();
  const source = sourceFacts(REPO_ROOT);
  process.stderr.write(
    `benchmarks ${selected.map((s) => s.id).join(' ')} (${cli.quick ? 'quick' : 'full'}, seed ${cli.seed}) on ${machineBefore.nproc} CPUs, ` +
      `${machineBefore.memoryGiB} GiB, Node ${machineBefore.node}, load average ${machineBefore.loadAverage.join(' ')}; ` +
      `source ${source.commit}${source.uncommittedFiles > 0 ? ` + ${source.uncommittedFiles} uncommitted files` : ''}\n`,
  );

  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const scenario of selected) {
      process.stderr.write(`${scenario.id} ${scenario.title}\n`);
      const started = process.hrtime.bigint();
      const loadBefore = loadavg().map((load) => Math.round(load * 100) / 100);
      let outcome: ScenarioOutcome;
      try {
        outcome = { scenario, result: await scenario.run(context), seconds: 0 };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcome = {
          scenario,
          result: { status: 'failed', figures: [], notes: [`the benchmark itself failed: ${message.slice(0, 2000)}`] },
          seconds: 0,
        };
      }
      outcome.seconds = Number(process.hrtime.bigint() - started) / 1e9;
      outcome.loadAverage = { before: loadBefore, after: loadavg().map((load) => Math.round(load * 100) / 100) };
      outcomes.push(outcome);
      process.stderr.write(`  ${outcome.result.status} in ${outcome.seconds.toFixed(1)} s\n`);
      if (profileDir && outcome.result.status !== 'not-available') {
        const dir = join(profileDir, scenario.id);
        reportProfile(dir, (await snapshotBuild(context)).root);
        outcome.serverWindows = reportWindows(dir, outcome.result.figures);
      }
    }
    // The scan ceiling costs seconds over the table the append ceiling already filled: recorded for B8, which is to come.
    if (context.isMeasured('rawAppend')) await rawScanCeiling(context);
  } finally {
    await context.cleanUp();
  }

  const table = formatTable(outcomes, cli.quick);
  const ceilings = Object.values(context.measuredCeilings()).map(formatFigureWithName);
  process.stdout.write(`\n${table}\n\nceilings measured in this run: ${ceilings.join('; ') || 'none'}\n`);
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: cli.quick ? 'quick' : 'full',
    seed: cli.seed,
    options: {
      loadSeconds: cli.loadSeconds,
      ingestEvents: cli.ingestEvents,
      decisionSubjects: cli.decisionSubjects,
      memoryEvents: cli.memoryEvents,
      profile: cli.profile,
    },
    machine: { ...machineBefore, loadAverageAfter: machineFacts().loadAverage },
    source,
    ceilings: context.measuredCeilings(),
    scenarios: outcomes.map(({ scenario, result, seconds, loadAverage, serverWindows }) => ({
      id: scenario.id,
      title: scenario.title,
      target: scenario.target,
      seconds,
      loadAverage,
      ...result,
      ...(serverWindows && { serverWindows }),
    })),
  };
  mkdirSync(resolve(cli.out, '..'), { recursive: true });
  writeFileSync(cli.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`\nresults written to ${cli.out}\n`);
  if (outcomes.some((outcome) => outcome.result.status === 'failed')) process.exitCode = 1;
}

function formatFigureWithName(figure: Figure): string {
  return `${figure.name} ${formatFigure(figure)}`;
}

function reportProfile(dir: string, buildRoot: string): void {
  try {
    const summary = summarizeProfiles(dir, buildRoot);
    const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
    process.stderr.write(`  server CPU by module (self time), profiles in ${dir}:\n`);
    for (const entry of summary.modules) process.stderr.write(`    ${percent(entry.selfShare)}  ${entry.module}\n`);
    process.stderr.write('  hottest functions (self time):\n');
    for (const entry of summary.functions) process.stderr.write(`    ${percent(entry.selfShare)}  ${entry.function}  ${entry.where}\n`);
  } catch (error) {
    process.stderr.write(`  no CPU profile to summarise in ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * The server's CPU time and event-loop delay in each measured window (profiled runs only). CPU per
 * unit of work divides by the scenario's first throughput figure times the window: approximate,
 * since the window also holds the moment of the hop before the load starts.
 */
function reportWindows(dir: string, figures: Figure[]): Array<ServerWindowFacts & { cpuMsPerUnit?: number }> | undefined {
  let windows: ServerWindowFacts[];
  try {
    windows = readWindowFacts(dir);
  } catch {
    return undefined;
  }
  const throughput = figures.find((figure) => /\/s$/.test(figure.unit));
  return windows.map((window) => {
    const cpuMs = window.cpuUserMs + window.cpuSystemMs;
    const units = throughput ? throughput.value * (window.wallMs / 1000) : 0;
    const cpuMsPerUnit = units > 0 ? cpuMs / units : undefined;
    const delay = window.eventLoopDelayMs;
    process.stderr.write(
      `  measured window: ${(window.wallMs / 1000).toFixed(1)} s, server CPU ${(cpuMs / 1000).toFixed(1)} s ` +
        `(${(cpuMs / window.wallMs).toFixed(2)} cores)` +
        (cpuMsPerUnit !== undefined ? `, ≈${cpuMsPerUnit.toFixed(3)} ms CPU per ${throughput!.unit.replace(/\/s$/, '')}` : '') +
        `\n  event-loop delay: p50 ${delay.p50} ms, p99 ${delay.p99} ms, p99.9 ${delay.p999} ms, max ${delay.max} ms\n`,
    );
    return { ...window, ...(cpuMsPerUnit !== undefined && { cpuMsPerUnit }) };
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
