import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureConsoleBuilt } from '../support/built-server';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

/** How the API serves the built console; the browser test covers what the pages do. */
describe('console files', () => {
  let ledger: RunningLedger;
  let script: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    script = readdirSync(join(__dirname, '..', '..', 'dist', 'console', 'assets')).find((name) => name.endsWith('.js'))!;
    ledger = await startLedger();
  });
  afterAll(async () => ledger?.stop());

  it('serves the page without a key, under a policy that allows only its own files and no inline script', async () => {
    const page = await ledger.request('GET', '/console', { as: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    // Every script the page loads is a file of its own, which the policy allows; an inline one would be blocked.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).toContain(`/console/assets/${script}`);
  });

  it('serves the hashed bundle with a long cache lifetime', async () => {
    const asset = await ledger.request('GET', `/console/assets/${script}`, { as: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 for files that are not in the build, including attempts to leave its folder', async () => {
    for (const path of [
      '/console/assets/missing.js',
      '/console/assets/..%2F..%2Fpackage.json',
      '/console/assets/%2E%2E',
      '/console/assets/.hidden',
    ]) {
      const answer = await ledger.request('GET', path, { as: null });
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
  });
});
