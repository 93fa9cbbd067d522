import { existsSync, renameSync, rmSync } from 'node:fs';
import type { EventStore } from '@ledger/event-store';
import { ProjectionRunner, RunnerLogger } from './projection-runner';
import { acquireReadModelLock } from './read-model-lock';
import { ProjectionName, ReadModelStore } from './read-model-store.port';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store';

export interface RebuildResult {
  position: number;
  eventsApplied: number;
  elapsedMs: number;
  checksums: Record<ProjectionName, string>;
}

export interface RebuildOptions {
  /** Events projected between two commits; larger is faster, and costs memory for the subjects touched. */
  commitEvery?: number;
  logger?: RunnerLogger;
  /** The position of the last event read so far, for a progress display. */
  onProgress?: (position: number) => void;
}

/** Read models a rebuild can fill: empty, written without the read indexes, which are built at the end. */
export interface ScratchReadModels extends ReadModelStore {
  createReadIndexes(): void | Promise<void>;
}

/**
 * The part of a rebuild every adapter shares: project every event from position 0 into empty read
 * models, a batch of `commitEvery` events per commit, then build the read indexes once.
 */
export async function fillFromEvents(
  eventStore: EventStore,
  readModels: ScratchReadModels,
  options: RebuildOptions,
  defaultCommitEvery: number,
): Promise<RebuildResult> {
  const started = Date.now();
  const runner = new ProjectionRunner(eventStore, readModels, {
    commitEvery: options.commitEvery ?? defaultCommitEvery,
    logger: options.logger,
    onProgress: options.onProgress,
  });
  const { position, eventsApplied } = await runner.catchUp();
  await readModels.createReadIndexes();
  const elapsedMs = Date.now() - started;
  return { position, eventsApplied, elapsedMs, checksums: (await readModels.checksums()).value };
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/**
 * Rebuilds every read model from position 0 into a new file and swaps it in.
 * It holds the read-model lock throughout, so it refuses to run while an API
 * process writes the same file; if it fails half-way the old file is untouched.
 */
export async function rebuildReadModels(
  eventStore: EventStore,
  readModelPath: string,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const lock = acquireReadModelLock(readModelPath);
  const buildPath = `${readModelPath}.rebuilding`;
  try {
    removeDatabaseFiles(buildPath);
    const readModels = new SqliteReadModelStore({ path: buildPath, durability: 'scratch' });
    let result: RebuildResult;
    try {
      result = await fillFromEvents(eventStore, readModels, options, 250_000);
    } finally {
      await readModels.close();
    }
    // The old file's WAL must go with it, or SQLite would replay it onto the new file.
    if (existsSync(readModelPath)) removeDatabaseFiles(readModelPath);
    renameSync(buildPath, readModelPath);
    return result;
  } catch (error) {
    removeDatabaseFiles(buildPath);
    throw error;
  } finally {
    lock.release();
  }
}
