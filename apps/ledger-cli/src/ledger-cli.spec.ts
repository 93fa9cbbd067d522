import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyRegistry } from '../../ledger-api/src/access/api-key-registry';
import { buildLedgerCli } from './ledger-cli';

describe('ledger keys create', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(...args: string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    await buildLedgerCli({ out: (text) => (out += text), err: (text) => (err += text) }).parseAsync(args, { from: 'user' });
    return { out, err };
  }

  it('prints a new key once and stores only its salted hash', async () => {
    const file = join(dir, 'keys.json');
    const { out } = await run('keys', 'create', '--name', 'okta-emitter', '--roles', 'emitter', '--sources', 'https://okta.example.com', '--file', file);
    const key = out.trim();
    expect(key).toMatch(/^alk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(key.split('_').pop());
    const [record] = JSON.parse(stored);
    expect(record).toMatchObject({ name: 'okta-emitter', roles: ['emitter'], sources: ['https://okta.example.com'] });
    expect(record.hash).toMatch(/^scrypt\$16384\$8\$1\$/);

    const registry = ApiKeyRegistry.load({ file });
    await expect(registry.authenticate(key)).resolves.toEqual({ keyName: 'okta-emitter', roles: ['emitter'], sources: ['https://okta.example.com'] });
    await expect(registry.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).resolves.toBeUndefined();
  });

  it('refuses unknown roles and a duplicate name', async () => {
    const file = join(dir, 'keys.json');
    await expect(run('keys', 'create', '--name', 'x', '--roles', 'emitter,root', '--file', file)).rejects.toThrow(/unknown: root/);
    await run('keys', 'create', '--name', 'auditor-1', '--roles', 'auditor', '--file', file);
    await expect(run('keys', 'create', '--name', 'auditor-1', '--roles', 'auditor', '--file', file)).rejects.toThrow(/already exists/);
  });
});
