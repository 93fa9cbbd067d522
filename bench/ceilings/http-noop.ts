import { join } from 'node:path';
import { ChildServer, startChildServer } from '../harness/child-server';
import { HttpLoadResult, runHttpLoad } from '../harness/http-load';

/** A CloudEvent-shaped body of exactly this many bytes. */
const BODY_BYTES = 300;

export function noopBody(): string {
  const body = {
    specversion: '1.0',
    id: 'noop-0001',
    source: 'https://idp.example.com',
    type: 'assurance.authentication.succeeded',
    subject: 'emp-0000001',
    time: '2026-01-05T08:00:00.000Z',
    data: { channel: 'web', applicationId: 'intranet-portal', note: '' },
  };
  const padding = BODY_BYTES - JSON.stringify(body).length;
  if (padding < 0) throw new Error('noop body is already over its size');
  body.data.note = 'x'.repeat(padding);
  return JSON.stringify(body);
}

/** NestJS on Fastify with a no-op POST route, the server the HTTP ceiling drives. */
export function startNoopServer(): Promise<ChildServer> {
  return startChildServer({
    args: ['-r', 'ts-node/register/transpile-only', join(__dirname, 'http-noop-server.ts')],
    readinessPath: '/health',
  });
}

/** Drives the no-op server like B2 and B3 drive the ledger: same connections, a parsed 300-byte JSON body. */
export async function driveNoopServer(server: ChildServer, connections: number, seconds: number): Promise<HttpLoadResult> {
  const result = await runHttpLoad({
    url: `${server.url}/noop`,
    method: 'POST',
    connections,
    seconds,
    headers: { 'content-type': 'application/json' },
    body: noopBody(),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `the no-op server answered ${result.non2xx} non-2xx and ${result.errors} errors: ${JSON.stringify(result.statusCodes)}`,
    );
  }
  return result;
}
