import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages: how much else was running. */
  loadAverage: number[];
}

export function machineFacts(): MachineFacts {
  let nproc = availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // no nproc: availableParallelism already respects the affinity mask on Linux
  }
  return {
    nproc,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

export interface SourceFacts {
  commit: string;
  /** Files that differ from the commit: the measured build includes work in progress when this is not 0. */
  uncommittedFiles: number;
}

export function sourceFacts(repoRoot: string): SourceFacts {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  try {
    const status = git('status', '--porcelain');
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedFiles: status ? status.split('\n').length : 0 };
  } catch {
    return { commit: 'unknown', uncommittedFiles: -1 };
  }
}
