import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of another process, in bytes; /proc on Linux, `ps` elsewhere. */
export function residentSetBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux, or the process is gone: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

export const MB = 1024 * 1024;
