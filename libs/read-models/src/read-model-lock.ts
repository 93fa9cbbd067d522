import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class ReadModelLockedError extends Error {
  readonly name = 'ReadModelLockedError';
}

export interface ReadModelLock {
  readonly path: string;
  release(): void;
}

/** Lock files this process holds now: a file naming our pid and not in here is left from an earlier life. */
const heldByThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per read-model file: the API's runner and `projections:rebuild`
 * both take `<file>.lock`, holding the owner's pid. A lock whose owner died
 * (kill -9) is stale and is taken over.
 */
export function acquireReadModelLock(readModelPath: string): ReadModelLock {
  if (readModelPath === ':memory:') return { path: readModelPath, release: () => undefined };
  const path = `${readModelPath}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldByThisProcess.add(path);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          heldByThisProcess.delete(path);
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // released between our open and our read
    }
    // Our own pid on a lock we do not hold is left from an earlier life: a container restarts its process with the same pid.
    const leftByEarlierLife = owner === process.pid && !heldByThisProcess.has(path);
    if (Number.isInteger(owner) && owner > 0 && !leftByEarlierLife && isAlive(owner)) {
      throw new ReadModelLockedError(
        `read models in ${readModelPath} are being written by process ${owner}; stop it first (see docs/projections.md)`,
      );
    }
    try {
      unlinkSync(path);
    } catch {
      /* another process took it over first; retry */
    }
  }
  throw new ReadModelLockedError(`could not take the lock ${path}`);
}
