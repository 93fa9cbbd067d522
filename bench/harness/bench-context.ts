import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Figure } from './scenario';

export interface BenchOptions {
  quick: boolean;
  seed: number;
  workDir: string;
  /** Write a V8 CPU profile of each ledger server into this directory. */
  cpuProfileDir?: string;
  /** Events B1 sends, and the raw append ceiling inserts, in a full run. */
  ingestEvents: number;
  /** Subjects seeded before B3's decisions in a full run. */
  decisionSubjects: number;
  /** Events ingested by B9 in a full run. */
  memoryEvents: number;
  /** Seconds of measured load for autocannon scenarios in a full run. */
  loadSeconds: number;
}

/**
 * What every scenario shares: options, a scratch directory per use, and the
 * ceilings, which are measured once per run and only when a scenario asks.
 */
export class BenchContext {
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly ceilings = new Map<string, Figure>();
  private readonly scratchDirs: string[] = [];
  private readonly deferred: Array<() => Promise<void>> = [];

  constructor(readonly options: BenchOptions) {}

  /** Picks the quick or the full value of a size parameter. */
  size<T>(quick: T, full: T): T {
    return this.options.quick ? quick : full;
  }

  /** A fresh, empty directory under the work directory; removed by `cleanUp`, other runs' directories are left alone. */
  scratchDir(label: string): string {
    const dir = join(this.options.workDir, `run-${process.pid}-${this.scratchDirs.length + 1}-${label}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    this.scratchDirs.push(dir);
    return dir;
  }

  /**
   * Computes something shared (a ceiling, a seeded estate) the first time a
   * scenario needs it; sizes are fixed for a run, so the key names only what was computed.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.memos.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      this.memos.set(key, value);
    }
    return value;
  }

  /** A ceiling measured once per run, on first use, and kept for the results file. */
  ceiling(key: string, measure: () => Promise<Figure>): Promise<Figure> {
    return this.memo(`ceiling:${key}`, async () => {
      const figure = await measure();
      this.ceilings.set(key, figure);
      return figure;
    });
  }

  isMeasured(ceilingKey: string): boolean {
    return this.ceilings.has(ceilingKey);
  }

  measuredCeilings(): Record<string, Figure> {
    return Object.fromEntries(this.ceilings);
  }

  log(message: string): void {
    process.stderr.write(`  ${message}\n`);
  }

  /** Runs at the end of the run, e.g. to stop a server that several scenarios share. */
  defer(release: () => Promise<void>): void {
    this.deferred.push(release);
  }

  async cleanUp(): Promise<void> {
    for (const release of this.deferred.splice(0).reverse()) await release().catch(() => undefined);
    this.removeScratchDirs();
  }

  removeScratchDirs(): void {
    for (const dir of this.scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
