import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TestKeyName, writeTestKeyFile } from './test-keys';

const ROOT = join(__dirname, '..', '..');
export const BUILT_MAIN = join(ROOT, 'dist', 'apps', 'ledger-api', 'src', 'main.js');

/** Tests that kill the server need it as a separate process, built as users run it. */
export function ensureBuilt(): void {
  if (existsSync(BUILT_MAIN)) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'ledger-api'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export const BUILT_CONSOLE = join(ROOT, 'dist', 'console', 'index.html');

/** The console is built after the server (building the server empties `dist`). */
export function ensureConsoleBuilt(): void {
  ensureBuilt();
  if (existsSync(BUILT_CONSOLE)) return;
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** `Authorization` header for a test key (every role by default). */
  auth(as?: TestKeyName): Record<string, string>;
}

/** Starts the built server with the test keys in a key file next to its data (or the one `env` names). */
export async function startServerProcess(env: Record<string, string>, options: { withTestKeys?: boolean } = {}): Promise<ServerProcess> {
  const keyFile = env.LEDGER_API_KEYS_FILE ?? join(mkdtempSync(join(tmpdir(), 'ledger-keys-')), 'api-keys.json');
  const { keys } = options.withTestKeys === false ? { keys: {} as Record<TestKeyName, string> } : await writeTestKeyFile(keyFile);
  env = { ...env, LEDGER_API_KEYS_FILE: keyFile };
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: { ...process.env, LEDGER_LOG_LEVEL: 'warn', ...env, PORT: String(port), LEDGER_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, auth: (as: TestKeyName = 'all') => ({ authorization: `Bearer ${keys[as]}` }) };
}
