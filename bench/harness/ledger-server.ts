import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchApiKey } from './bench-api-key';
import { BenchContext } from './bench-context';
import { ChildServer, startChildServer } from './child-server';
import { BUILT_SERVER_ENTRY, REPO_ROOT } from './paths';

const BUILD_DIR = join(REPO_ROOT, 'dist');

export interface BuildSnapshot {
  /** The copy of `dist/`. */
  root: string;
  serverEntry: string;
}

/**
 * A private copy of the build, taken once per run: other people rebuild
 * `dist/` in the same tree, and a server must not start from a half-written
 * build or change code between scenarios. The copy sits inside the repository,
 * so its requires still find node_modules.
 */
export function snapshotBuild(context: BenchContext): Promise<BuildSnapshot> {
  return context.memo('build-snapshot', async () => {
    for (let attempt = 1; ; attempt++) {
      if (existsSync(BUILT_SERVER_ENTRY)) {
        const copy = context.scratchDir('build');
        cpSync(BUILD_DIR, copy, { recursive: true });
        const serverEntry = join(copy, relative(BUILD_DIR, BUILT_SERVER_ENTRY));
        if (existsSync(serverEntry)) return { root: copy, serverEntry };
      }
      if (attempt === 10) {
        throw new Error(`${relative(REPO_ROOT, BUILT_SERVER_ENTRY)} is missing: run \`npm run bench\`, which builds the server first`);
      }
      // Someone else's build may be rewriting dist/ right now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}

export interface LedgerServerOptions {
  /** Fresh directory for this server's SQLite files. */
  dataDir: string;
  cpuProfileDir?: string;
  env?: Record<string, string>;
}

/** The real ledger, built as users run it (`npm run bench` builds it first), with its own empty store. */
export interface LedgerServer extends ChildServer {
  /** Headers every request needs: the run's API key. */
  headers: Record<string, string>;
}

export async function startLedgerServer(context: BenchContext, options: LedgerServerOptions): Promise<LedgerServer> {
  const { serverEntry } = await snapshotBuild(context);
  const apiKey = await benchApiKey(context);
  mkdirSync(options.dataDir, { recursive: true });
  const server = await startChildServer({
    args: [...(process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean), serverEntry],
    cpuProfileDir: options.cpuProfileDir,
    readinessPath: '/health/ready',
    env: {
      LEDGER_SQLITE_PATH: join(options.dataDir, 'ledger.sqlite'),
      LEDGER_READ_MODEL_PATH: join(options.dataDir, 'read-models.sqlite'),
      LEDGER_API_KEYS: apiKey.registryJson,
      LEDGER_API_KEYS_FILE: join(options.dataDir, 'api-keys.json'),
      // The per-key limit would cap the load generator, which is one key; the highest setting lifts it.
      LEDGER_RATE_LIMIT_PER_MINUTE: '100000000',
      // Ready means "the store answers" here: a server started over an older ledger may be catching up,
      // and projection lag is measured by its own scenario (B5), not by waiting for readiness.
      LEDGER_READY_MAX_PROJECTION_LAG_SECONDS: '0',
      ...options.env,
    },
  });
  return { ...server, headers: apiKey.headers };
}
