import type { ServerWindowFacts } from './cpu-profile-summary';
import { Figure, Scenario, ScenarioResult } from './scenario';

export interface ScenarioOutcome {
  scenario: Scenario;
  result: ScenarioResult;
  seconds: number;
  /** The machine's 1, 5 and 15 minute load averages around the scenario: how much else was running. */
  loadAverage?: { before: number[]; after: number[] };
  /** Profiled runs: the server's CPU and event-loop delay in each measured window. */
  serverWindows?: Array<ServerWindowFacts & { cpuMsPerUnit?: number }>;
}

export function formatFigure(figure: Figure): string {
  const magnitude = Math.abs(figure.value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return `${figure.value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${figure.unit}`;
}

function verdict(result: ScenarioResult, quick: boolean): string {
  if (result.status === 'not-available') return 'n/a';
  if (result.status === 'failed') return 'FAILED';
  const judged = result.targetMet === true ? 'met' : result.targetMet === false ? 'MISSED' : 'not judged';
  // Quick sizes only show that a benchmark works; its figures are too small to hold against the target.
  return quick && result.targetMet !== undefined ? `${judged} (quick)` : judged;
}

function resultCell(result: ScenarioResult): string {
  if (result.status === 'not-available') return result.notes[0] ?? 'not available';
  const [headline, ...rest] = result.figures;
  return [headline, ...rest.filter((figure) => figure.inTable)]
    .filter(Boolean)
    .map((figure) => (figure === headline ? formatFigure(figure) : `${figure.name} ${formatFigure(figure)}`))
    .join('; ');
}

/** A plain-text table that reads the same in a terminal and pasted into Markdown. */
export function formatTable(outcomes: ScenarioOutcome[], quick: boolean): string {
  const header = ['#', 'scenario', 'result', 'ceiling', 'ratio', 'target', 'verdict'];
  const rows = outcomes.map(({ scenario, result }) => [
    scenario.id,
    scenario.title,
    resultCell(result),
    result.ceiling ? formatFigure(result.ceiling) : '',
    result.ratio !== undefined ? `${(result.ratio * 100).toFixed(1)}%` : '',
    scenario.target,
    verdict(result, quick),
  ]);
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(escape).join(' | ')} |`);
  const notes = outcomes.flatMap(({ scenario, result }) =>
    result.status === 'not-available' ? [] : result.notes.map((note) => `${scenario.id}: ${note}`),
  );
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
