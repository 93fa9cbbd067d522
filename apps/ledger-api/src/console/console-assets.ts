import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * The build's files, read once at start (a few hundred kilobytes). Only names
 * found here are ever served, so no request path can reach another file.
 */
export function loadConsoleFiles(directory: string | undefined = findConsoleDirectory()): Map<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  if (!directory) return files;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (!contentType) continue;
    const path = join(entry.parentPath, entry.name);
    const body = readFileSync(path);
    const name = path
      .slice(directory.length + 1)
      .split('\\')
      .join('/');
    files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  }
  return files;
}
