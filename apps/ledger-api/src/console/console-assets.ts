import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the built console is: `dist/console`, next to the compiled server
 * (`dist/apps/ledger-api/src/console`) or, when the server runs from source
 * (tests), under the repository's `dist`.
 */
export function findConsoleDirectory(): string | undefined {
  const candidates = [resolve(__dirname, '../../../../console'), resolve(__dirname, '../../../../dist/console')];
  return candidates.find((candidate) => existsSync(resolve(candidate, 'index.html')));
}

/**
 * The console's pages run only the bundle they came with: no inline script or
 * style, no other origin, no framing. Charts draw on a canvas and React sets
 * styles through the DOM, which this policy allows.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
