import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class ReadModelLockedError extends Error {
  readonly name = 'ReadModelLockedError';
}

export interface ReadModelLock {
  readonly path: string;
  release(): void;
}

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
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
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
    // Our own pid in the file is a lock left by an earlier life: a container restarts its process with the same pid.
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
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
