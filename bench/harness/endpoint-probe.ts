import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { BenchContext } from './bench-context';
import { LedgerServer, snapshotBuild, startLedgerServer } from './ledger-server';

export interface EndpointProbe {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /**
   * A query parameter the capability adds to a route that already exists: the
   * route's request validation refuses it (400 naming it) until then.
   */
  newQueryParameter?: string;
}

/** One empty ledger that every availability probe of the run asks. */
function probeServer(context: BenchContext): Promise<LedgerServer> {
  return context.memo('probe-server', async () => {
    const server = await startLedgerServer(context, { dataDir: context.scratchDir('probe') });
    context.defer(() => server.stop());
    return server;
  });
}

/**
 * Whether the built server has a route. A 404 from a missing route says
 * "Cannot GET /path" (Nest's router); a 404 from a route that exists but did
 * not find the resource is the ledger's own `not-found`, so the two are told apart.
 */
export async function endpointExists(context: BenchContext, probe: EndpointProbe): Promise<boolean> {
  const server = await probeServer(context);
  const response = await fetch(`${server.url}${probe.path}`, {
    method: probe.method,
    headers: { ...server.headers, ...(probe.body !== undefined && { 'content-type': 'application/json' }) },
    ...(probe.body !== undefined && { body: JSON.stringify(probe.body) }),
  });
  const text = await response.text();
  if (response.status === 400 && probe.newQueryParameter) {
    const name = probe.newQueryParameter;
    return !(text.includes(`"${name}"`) || text.includes(`property ${name} `));
  }
  if (response.status !== 404) return true;
  try {
    return !/^Cannot (GET|POST) /.test(String(JSON.parse(text).message));
  } catch {
    return true;
  }
}

export function describeProbe(probe: EndpointProbe): string {
  const route = `${probe.method} ${probe.path.split('?')[0]}`;
  return probe.newQueryParameter ? `${route}?${probe.newQueryParameter}=` : route;
}

/** Whether the run's build has an entry point (a path inside `dist/`), for capabilities that are commands rather than routes. */
export async function builtEntryExists(context: BenchContext, pathInBuild: string): Promise<boolean> {
  const build = await snapshotBuild(context);
  return existsSync(join(build.root, pathInBuild));
}
