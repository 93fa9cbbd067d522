import { InvalidArgumentError } from 'commander';
import type { EventStore } from '@ledger/event-store';
import { isRfc3339DateTime } from '@ledger/domain';
import { loadLedgerConfig } from '@ledger/core';
import { openEventStore } from '@ledger/core';
import { Progress, startProgress } from './progress';

export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  /** Whether standard error is a terminal: a live bar there, plain progress lines otherwise. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  progressIntervalMs?: number;
  /** Set by commands whose outcome is a verdict (a broken chain exits 1). */
  exitCode: number;
}

/** What every command needs: the configured store, opened and closed around the work, and progress on standard error. */
export class CliRuntime {
  constructor(readonly context: CliContext) {}

  config() {
    return loadLedgerConfig(this.context.env);
  }

  async withStore<T>(work: (store: EventStore) => Promise<T>): Promise<T> {
    const store = openEventStore(this.config());
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  /** Progress over global positions up to the store's head as the job starts. */
  async progressOverPositions(store: EventStore, label: string): Promise<Progress> {
    return startProgress({
      label,
      total: Math.max(await store.headPosition(), 0),
      unit: 'positions',
      write: this.context.err,
      isTTY: this.context.isTTY,
      intervalMs: this.context.progressIntervalMs,
    });
  }
}

/** Option parser: an RFC 3339 date-time, as the API accepts it. */
export function rfc3339(value: string): string {
  if (!isRfc3339DateTime(value)) throw new InvalidArgumentError('must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z');
  return value;
}

/** Option parser: a whole number within bounds. */
export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}
