import type { BenchContext } from './bench-context';

export type ScenarioStatus = 'measured' | 'not-available' | 'failed';

/** One number worth reporting, with its unit. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Shown in the printed table besides the headline (the first figure). */
  inTable?: boolean;
}

export interface ScenarioResult {
  status: ScenarioStatus;
  /** The headline, as a fraction of its ceiling (0.42 is 42%), when the target is a ratio. */
  ratio?: number;
  /** Which ceiling the ratio divides by, and its value. */
  ceiling?: Figure;
  /** Raw measurements, headline first. */
  figures: Figure[];
  /** Whether every part of the target was met; undefined when it could not be judged. */
  targetMet?: boolean;
  /** What was not met and by how much, what was skipped, or why it is not available. */
  notes: string[];
}

export interface Scenario {
  id: string;
  title: string;
  /** The target as issue 9 states it. */
  target: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

export function notAvailable(reason: string): ScenarioResult {
  return { status: 'not-available', figures: [], notes: [reason] };
}
