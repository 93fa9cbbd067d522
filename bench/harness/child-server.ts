import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { residentSetBytes } from './process-memory';

export interface ChildServer {
  url: string;
  port: number;
  pid: number;
  residentSetBytes(): number;
  output(): string;
  /**
   * Runs `work` with the server's CPU profile narrowed to it, when the server is
   * profiled: the profile then shows the measured window only. Otherwise just runs it.
   */
  profileWindow<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  /** Node arguments and script, e.g. [entry] or ['-r', 'ts-node/register', file]. */
  args: string[];
  env?: Record<string, string>;
  /** Writes a V8 CPU profile of the server into this directory when it stops. */
  cpuProfileDir?: string;
  /** Path answered with 2xx once the server is ready. */
  readinessPath?: string;
  startupTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// A bench run that dies must not leave its servers behind on a shared machine.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a Node server as a child process on a free loopback port and waits until it answers. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const profiling: string[] = [];
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    profiling.push('-r', join(__dirname, 'profile-window.js'));
  }
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [...profiling, ...options.args], {
    env: {
      ...process.env,
      LEDGER_LOG_LEVEL: 'warn',
      ...options.env,
      ...(options.cpuProfileDir && { BENCH_CPU_PROFILE_DIR: options.cpuProfileDir }),
      PORT: String(port),
      LEDGER_HOST: '127.0.0.1',
    },
    // Profiled servers take their profile windows on standard input (see profile-window.js).
    stdio: [options.cpuProfileDir ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    // Enough of the tail to explain a crash, without holding a long run's logs.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  running.add(child);
  child.once('exit', () => running.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}${options.readinessPath ?? '/health'}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port,
    pid: child.pid!,
    residentSetBytes: () => residentSetBytes(child.pid!),
    output: () => output,
    async profileWindow<T>(work: () => Promise<T>): Promise<T> {
      const dir = options.cpuProfileDir;
      if (!dir) return work();
      // The profile is written last, after the window's facts (see profile-window.js).
      const windowsWritten = () => readdirSync(dir).filter((name) => name.startsWith('window-') && name.endsWith('.cpuprofile')).length;
      const before = windowsWritten();
      child.stdin!.write('window\n');
      // The server is idle before the load, so the line is read at once; a moment covers the hop.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const result = await work();
      child.stdin!.write('window\n');
      const deadline = Date.now() + 15_000;
      while (windowsWritten() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return result;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
