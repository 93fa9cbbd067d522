import { join } from 'node:path';
import { BenchContext } from './bench-context';
import { BatchLoadResult, loadBatches } from './batch-loader';
import { shardBatches, shareOf, subjectsFor } from './estate-feed';
import { startLedgerServer } from './ledger-server';
import { MB } from './process-memory';

const WRITERS = 4;
const RSS_SAMPLES = 20;

export interface RssSample {
  events: number;
  rssMb: number;
}

export interface IngestedLedger {
  /** The ledger's SQLite event file, closed: the server has stopped. */
  eventsPath: string;
  dataDir: string;
  load: BatchLoadResult;
  /** The server's RSS as the history grew, the last one after the last batch. */
  rss: RssSample[];
  /** V8's share of the RSS at the end, from the server's own metrics: what is left is native (SQLite, buffers). */
  heap?: { usedMb: number; totalMb: number; externalMb: number };
}

/**
 * A ledger filled through the API with the seeded estate, once per run: B9
 * watches the server's memory while it fills, B4 rebuilds the read models
 * from it afterwards, so the large ingestion is paid for once.
 */
export function ingestedLedger(context: BenchContext): Promise<IngestedLedger> {
  return context.memo('ingested-ledger', async () => {
    const eventCount = context.size(20_000, context.options.memoryEvents);
    const estate = { seed: context.options.seed, subjects: subjectsFor(eventCount) * 2 };
    // Serialized as the clients go: this run measures memory, not the client, and a big estate would not fit up front.
    const lanes = Array.from({ length: WRITERS }, (_, index) =>
      shardBatches(estate, { index, count: WRITERS }, shareOf(eventCount, WRITERS, index)),
    );
    const dataDir = context.scratchDir('ingested');
    const server = await startLedgerServer(context, {
      dataDir,
      cpuProfileDir: context.options.cpuProfileDir && join(context.options.cpuProfileDir, 'ingestion'),
    });
    try {
      const rss: RssSample[] = [{ events: 0, rssMb: server.residentSetBytes() / MB }];
      const step = Math.max(1, Math.floor(eventCount / RSS_SAMPLES));
      let nextSampleAt = step;
      context.log(
        `ingesting ${eventCount.toLocaleString('en-US')} events through the API, sampling the server's RSS every ${step.toLocaleString('en-US')}`,
      );
      const load = await loadBatches(server, lanes, (eventsSoFar) => {
        if (eventsSoFar < nextSampleAt) return;
        rss.push({ events: eventsSoFar, rssMb: server.residentSetBytes() / MB });
        nextSampleAt = eventsSoFar + step;
      });
      const finalRss = server.residentSetBytes() / MB;
      if (rss[rss.length - 1].events !== load.events) rss.push({ events: load.events, rssMb: finalRss });
      else rss[rss.length - 1] = { events: load.events, rssMb: finalRss };
      return { eventsPath: join(dataDir, 'ledger.sqlite'), dataDir, load, rss, heap: await heapOf(server.url) };
    } finally {
      await server.stop();
    }
  });
}

async function heapOf(url: string): Promise<IngestedLedger['heap']> {
  try {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / MB;
    return {
      usedMb: gauge('ledger_process_nodejs_heap_size_used_bytes'),
      totalMb: gauge('ledger_process_nodejs_heap_size_total_bytes'),
      externalMb: gauge('ledger_process_nodejs_external_memory_bytes'),
    };
  } catch {
    return undefined;
  }
}
