import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureConsoleBuilt, freePort } from '../support/built-server';

const BUILT_DEMO = join(__dirname, '..', '..', 'dist', 'apps', 'demo', 'src', 'main.js');

/**
 * `npm run demo` as a new user runs it (built, on its own files): it must end
 * by printing a console URL and a key that show a populated ledger. The key
 * is read from the child's output and never printed by this test.
 */
describe('npm run demo', () => {
  let demo: ChildProcess | undefined;
  let directory: string;

  afterAll(() => {
    demo?.kill('SIGTERM');
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('seeds a generated estate and prints a console URL and a key that show it', async () => {
    ensureConsoleBuilt();
    directory = mkdtempSync(join(tmpdir(), 'ledger-demo-'));
    const port = await freePort();
    demo = spawn(process.execPath, [BUILT_DEMO], {
      env: {
        ...process.env,
        LEDGER_DEMO_DIR: join(directory, 'demo-data'),
        LEDGER_DEMO_SUBJECTS: '25',
        PORT: String(port),
        LEDGER_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    demo.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const printed = await new Promise<{ url: string; key: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo printed no console URL in time; stderr: ${errors}`)), 90_000);
      demo!.on('exit', (code) => reject(new Error(`the demo exited with ${code}; stderr: ${errors}`)));
      demo!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = /Console:\s+(http:\/\/\S+)\/console/.exec(output)?.[1];
        const key = /API key:\s+(\S+)/.exec(output)?.[1];
        if (url && key) {
          clearTimeout(timer);
          resolve({ url, key });
        }
      });
    });
    expect(printed.url).toBe(`http://127.0.0.1:${port}`);
    expect(output).toContain('the read models have caught up');

    const headers = { authorization: `Bearer ${printed.key}` };
    const consolePage = await fetch(`${printed.url}/console`);
    expect(consolePage.status).toBe(200);
    const subjects = (await (await fetch(`${printed.url}/v1/subjects?prefix=emp-`, { headers })).json()) as { subjects: unknown[] };
    expect(subjects.subjects).toHaveLength(25);
    const queue = (await (await fetch(`${printed.url}/v1/reviews?status=open`, { headers })).json()) as { items: Array<{ kind: string }> };
    expect(queue.items.length).toBeGreaterThan(0);
    const posture = (await (await fetch(`${printed.url}/v1/posture`, { headers })).json()) as {
      estate: { subjects: { subjects: number }; authentications: number };
    };
    expect(posture.estate.subjects.subjects).toBe(25);
    expect(posture.estate.authentications).toBeGreaterThan(0);
  }, 120_000);
});
