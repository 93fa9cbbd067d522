import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The database file, its WAL and its shared-memory file are readable by the owner only: they hold
 * who authenticated how and from where. SQLite gives the -wal and -shm files the mode of the
 * database file, so creating that one 0600 (and correcting older ones) covers all three.
 */
export function createOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Absent, or owned by another user: nothing this process may change.
    }
  }
}
