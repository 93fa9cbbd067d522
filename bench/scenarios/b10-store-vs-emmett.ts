import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { EstateCloudEvent, generateEstate } from '../../libs/estate-generator/src';
import { EventToAppend, SqliteEventStore } from '../../libs/event-store/src';
import { eventIdFor } from '../../libs/core/src/shared/event-ids';
import { BenchContext } from '../harness/bench-context';
import { REPO_ROOT } from '../harness/paths';
import { Figure, notAvailable, Scenario, ScenarioResult } from '../harness/scenario';

/*
 * B10 sets the ledger's SQLite event store beside Emmett's (@event-driven-io/emmett-sqlite) on the
 * same events and the same durability: both files in WAL mode with synchronous=FULL. Emmett needs
 * the `sqlite3` native module, compiled from source on install, so it lives in bench/peers with a
 * lock file of its own: the root `npm ci` never pays for it, and B10 installs it on its first run.
 */

const PEERS_DIR = join(REPO_ROOT, 'bench', 'peers');
const TARGET_SINGLE = 10;
const TARGET_BATCH = 3;
const BATCH_SIZE = 100;
/** Compiling sqlite3 takes a minute or two on a small machine; past this the run moves on without B10. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The part of Emmett's API B10 uses, typed here because the root package does not depend on Emmett. */
interface EmmettEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
interface EmmettSqliteStore {
  appendToStream(streamName: string, events: EmmettEvent[]): Promise<unknown>;
}
interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): EmmettSqliteStore;
}
interface Sqlite3Database {
  get(sql: string, callback: (error: Error | null, row: Record<string, unknown>) => void): void;
  close(callback: (error: Error | null) => void): void;
}
interface Sqlite3Module {
  Database: new (fileName: string) => Sqlite3Database;
}

/** One event as both stores get it: the CloudEvents context in metadata, as the ledger stores it. */
interface BenchEvent {
  streamId: string;
  event: EventToAppend;
}

function benchEvents(seed: number, count: number): BenchEvent[] {
  const events: BenchEvent[] = [];
  // Enough subjects that streams stay short, as in the ledger, where a stream is one subject's history.
  for (const cloudEvent of generateEstate({ seed, subjects: Math.max(10, Math.ceil(count / 20)) })) {
    if (events.length >= count) break;
    events.push({ streamId: `subject-${cloudEvent.subject}`, event: toEvent(cloudEvent) });
  }
  if (events.length < count) throw new Error(`the estate holds only ${events.length} of the ${count} events B10 needs`);
  return events;
}

function toEvent(cloudEvent: EstateCloudEvent): EventToAppend {
  return {
    // The id the ledger derives and stores: a UUID of (source, id).
    id: eventIdFor(cloudEvent.source, cloudEvent.id),
    type: cloudEvent.type,
    // A spread copy is a plain object type, which the port's Record accepts where the named data interfaces are not.
    data: { ...cloudEvent.data },
    metadata: {
      source: cloudEvent.source,
      cloudEventId: cloudEvent.id,
      subject: cloudEvent.subject,
      time: cloudEvent.time,
      schemaVersion: 1,
    },
  };
}

/** Runs the peer install, returning why it failed, or undefined once it worked. */
function installPeers(context: BenchContext): Promise<string | undefined> {
  const hasLock = existsSync(join(PEERS_DIR, 'package-lock.json'));
  const args = [hasLock ? 'ci' : 'install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'];
  context.log(`installing Emmett into bench/peers (npm ${args[0]}, compiles sqlite3: the first run takes a minute or more)`);
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: PEERS_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    // Our own timer rather than spawn's `timeout`: when npm cannot start, spawn's timer is never
    // cleared and would keep the whole run alive for the full ten minutes after it has finished.
    const timer = setTimeout(() => child.kill('SIGTERM'), INSTALL_TIMEOUT_MS);
    const settle = (failure: string | undefined) => {
      clearTimeout(timer);
      resolve(failure);
    };
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error) => settle(`npm could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      if (code === 0) settle(undefined);
      else settle(`npm ${args[0]} in bench/peers ${signal ? `was stopped by ${signal}` : `exited with ${code}`}: ${lastLines(stderr)}`);
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' / ') || 'no output';
}

interface Peers {
  emmett: EmmettSqliteModule;
  sqlite3: Sqlite3Module;
}

/** Loads Emmett from bench/peers, installing it first when missing; a reason string when it cannot. */
async function loadPeers(context: BenchContext): Promise<Peers | string> {
  if (!existsSync(join(PEERS_DIR, 'node_modules', '@event-driven-io', 'emmett-sqlite'))) {
    const failure = await installPeers(context);
    if (failure) return `Emmett could not be installed (${failure})`;
  }
  const requirePeer = createRequire(join(PEERS_DIR, 'package.json'));
  try {
    return {
      emmett: requirePeer('@event-driven-io/emmett-sqlite') as EmmettSqliteModule,
      sqlite3: requirePeer('sqlite3') as Sqlite3Module,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `Emmett is installed in bench/peers but does not load (${message.split('\n')[0]}); remove bench/peers/node_modules to reinstall`;
  }
}

/**
 * Emmett opens its own sqlite3 connection per call and sets only journal_mode=WAL; its
 * synchronous is then sqlite3's compiled default. Read back what its file really runs with,
 * through the same sqlite3 build, so the comparison states the durability instead of assuming it.
 */
function emmettDurability(sqlite3: Sqlite3Module, fileName: string): Promise<{ journalMode: string; synchronous: number }> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(fileName);
    db.get('PRAGMA journal_mode', (error, journal) => {
      if (error) return db.close(() => reject(error));
      db.get('PRAGMA synchronous', (syncError, sync) => {
        db.close(() =>
          syncError ? reject(syncError) : resolve({ journalMode: String(journal.journal_mode), synchronous: Number(sync.synchronous) }),
        );
      });
    });
  });
}

type AppendFn = (streamId: string, events: EventToAppend[]) => Promise<unknown>;

async function singleAppends(append: AppendFn, events: readonly BenchEvent[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const { streamId, event } of events) await append(streamId, [event]);
  return events.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Chunks of 100 consecutive events, each appended in one call to a stream of its own. */
async function batchAppends(append: AppendFn, events: readonly BenchEvent[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += BATCH_SIZE) {
    await append(
      `batch-${i / BATCH_SIZE}`,
      events.slice(i, i + BATCH_SIZE).map(({ event }) => event),
    );
  }
  return events.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The ledger's store as the API uses it, behind the store port; a fresh file per mode. */
async function measureOurs(dir: string, label: string, run: (append: AppendFn) => Promise<number>): Promise<number> {
  const store = new SqliteEventStore({ path: join(dir, `ours-${label}.sqlite`) });
  try {
    return await run((streamId, events) => store.append(streamId, events, 'any'));
  } finally {
    await store.close();
  }
}

/** Emmett's result per mode: its rate, and how many appends had to be tried again. */
interface EmmettRun {
  rate: number;
  retries: number;
  lastError?: string;
}

const EMMETT_ATTEMPTS = 3;

/**
 * Emmett opens and closes a sqlite3 connection per call, and now and then a commit fails with
 * SQLITE_BUSY ("SQL statements in progress"). An application would try again, so the bench does,
 * counts it, and reports it, rather than failing the whole comparison on Emmett's hiccup.
 */
async function measureEmmett(peers: Peers, fileName: string, run: (append: AppendFn) => Promise<number>): Promise<EmmettRun> {
  const store = peers.emmett.getSQLiteEventStore({ fileName });
  const outcome: Omit<EmmettRun, 'rate'> = { retries: 0 };
  const rate = await run(async (streamId, events) => {
    const emmettEvents = events.map(({ type, data, metadata }) => ({ type, data, metadata }));
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.appendToStream(streamId, emmettEvents);
      } catch (error) {
        if (attempt >= EMMETT_ATTEMPTS) throw error;
        outcome.retries++;
        outcome.lastError = error instanceof Error ? error.message : String(error);
      }
    }
  });
  return { rate, ...outcome };
}

async function measure(context: BenchContext): Promise<ScenarioResult> {
  const peers = await loadPeers(context);
  if (typeof peers === 'string') return notAvailable(peers);
  const dir = context.scratchDir('b10');
  const singleCount = context.size(300, 5_000);
  const batchCount = context.size(3_000, 100_000);
  const single = benchEvents(context.options.seed, singleCount);
  const batch = benchEvents(context.options.seed + 1, batchCount);

  // Each store gets a fresh file per mode, and the two alternate, so neither inherits the other's warm cache.
  context.log(`single appends: ${singleCount} events, one awaited append at a time`);
  const oursSingle = await measureOurs(dir, 'single', (append) => singleAppends(append, single));
  const emmettSingleFile = join(dir, 'emmett-single.sqlite');
  const emmettSingleRun = await measureEmmett(peers, emmettSingleFile, (append) => singleAppends(append, single));
  context.log(`batches: ${batchCount} events, ${BATCH_SIZE} events per append`);
  const oursBatch = await measureOurs(dir, 'batch', (append) => batchAppends(append, batch));
  const emmettBatchRun = await measureEmmett(peers, join(dir, 'emmett-batch.sqlite'), (append) => batchAppends(append, batch));

  const emmettSingle = emmettSingleRun.rate;
  const emmettBatch = emmettBatchRun.rate;
  const durability = await emmettDurability(peers.sqlite3, emmettSingleFile);
  const singleRatio = oursSingle / emmettSingle;
  const batchRatio = oursBatch / emmettBatch;
  const figures: Figure[] = [
    { name: 'single appends, ours ÷ Emmett', value: singleRatio, unit: '×' },
    { name: 'batches, ours ÷ Emmett', value: batchRatio, unit: '×', inTable: true },
    { name: 'single appends, ours', value: oursSingle, unit: 'events/s', inTable: true },
    { name: 'single appends, Emmett', value: emmettSingle, unit: 'events/s', inTable: true },
    { name: 'batches, ours', value: oursBatch, unit: 'events/s', inTable: true },
    { name: 'batches, Emmett', value: emmettBatch, unit: 'events/s', inTable: true },
    { name: 'single-append events', value: singleCount, unit: 'events' },
    { name: 'batch events', value: batchCount, unit: 'events' },
  ];
  const notes = [
    `Emmett's file ran with journal_mode=${durability.journalMode}, synchronous=${durability.synchronous} (2 is FULL); ours with WAL and synchronous=FULL`,
  ];
  for (const [mode, emmettRun] of [
    ['single appends', emmettSingleRun],
    ['batches', emmettBatchRun],
  ] as const) {
    if (emmettRun.retries > 0) notes.push(`Emmett ${mode}: ${emmettRun.retries} appends tried again after ${emmettRun.lastError}`);
  }
  const sameDurability = durability.journalMode === 'wal' && durability.synchronous === 2;
  if (!sameDurability) notes.push('the durability differs, so the ratios do not compare like with like and are not judged');
  if (singleRatio < TARGET_SINGLE) notes.push(`single appends missed: ${singleRatio.toFixed(1)}× of the ${TARGET_SINGLE}× target`);
  if (batchRatio < TARGET_BATCH) notes.push(`batches missed: ${batchRatio.toFixed(1)}× of the ${TARGET_BATCH}× target`);
  return {
    status: 'measured',
    figures,
    targetMet: sameDurability ? singleRatio >= TARGET_SINGLE && batchRatio >= TARGET_BATCH : undefined,
    notes,
  };
}

export const storeVersusEmmett: Scenario = {
  id: 'B10',
  title: "The ledger's SQLite store beside Emmett's SQLite event store (single appends and 100-event batches)",
  target: '>= 10× Emmett on sequential single appends and >= 3× on 100-event batches, same events, WAL + synchronous=FULL',
  run: measure,
};
