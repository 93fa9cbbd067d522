import { measureRawScan } from '../ceilings/raw-scan';
import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { ingestedLedger } from '../harness/ingested-ledger';
import { serveIngestedLedger } from '../harness/ingested-ledger-server';
import { MB } from '../harness/process-memory';
import { ScenarioResult } from '../harness/scenario';

const TARGET_RATIO = 0.3;
const TARGET_EVENTS = 1_000_000;
const TARGET_RSS_GROWTH_MB = 64;
/** The early sample: RSS once the export has passed this many positions (a tenth of the ledger in a smaller run). */
const EARLY_POSITION = 100_000;
/** Every this many records one is parsed for its position: enough to follow progress without parsing the whole stream here. */
const SAMPLE_EVERY_RECORDS = 500;

/**
 * `GET /v1/audit/export?format=ocsf` over the whole ledger B9 filled, read to
 * the end; events/s is the ledger's events scanned per second of the export,
 * against a raw scan of the same events table. The server's RSS is sampled
 * as the export passes the early position and at the end.
 */
async function measureOcsfExport(context: BenchContext): Promise<ScenarioResult> {
  const ingested = await ingestedLedger(context);
  const ceiling = await context.ceiling('rawScanLedger', async () => {
    context.log("measuring the raw scan ceiling over the ledger's own events table");
    return { ...measureRawScan(ingested.eventsPath), name: 'raw scan ceiling (ledger events table)' };
  });
  const { server, ledger, position: head } = await serveIngestedLedger(context);
  try {
    const early = Math.min(EARLY_POSITION, Math.floor(head / 10));
    const rssAtStart = server.residentSetBytes() / MB;
    let rssEarly: number | undefined;
    let peak = rssAtStart;
    let records = 0;
    let bytes = 0;
    let tail = '';
    context.log(`B8: exporting ${head.toLocaleString('en-US')} positions as OCSF`);
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}/v1/audit/export?format=ocsf`, { headers: server.headers });
    if (response.status !== 200 || !response.body) throw new Error(`the OCSF export answered ${response.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      const lines = (tail + decoder.decode(chunk, { stream: true })).split('\n');
      tail = lines.pop()!;
      for (const line of lines) {
        if (line === '') continue;
        records++;
        if (records % SAMPLE_EVERY_RECORDS !== 0) continue;
        const rss = server.residentSetBytes() / MB;
        peak = Math.max(peak, rss);
        if (rssEarly === undefined && Number(JSON.parse(line).metadata?.sequence) >= early) rssEarly = rss;
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssAtEnd = server.residentSetBytes() / MB;
    peak = Math.max(peak, rssAtEnd);
    const rate = head / seconds;
    const ratio = rate / ceiling.value;
    const growth = rssAtEnd - (rssEarly ?? rssAtStart);
    const notes: string[] = [];
    if (ledger.load.events < TARGET_EVENTS)
      notes.push(
        `exported ${head.toLocaleString('en-US')} positions (${ledger.load.events.toLocaleString('en-US')} events sent), not the target's ${TARGET_EVENTS.toLocaleString('en-US')}; early RSS sample at position ${early.toLocaleString('en-US')}`,
      );
    if (ratio < TARGET_RATIO) notes.push(`missed by ${((TARGET_RATIO - ratio) * 100).toFixed(1)} points of the ceiling`);
    if (growth > TARGET_RSS_GROWTH_MB)
      notes.push(`RSS grew ${growth.toFixed(0)} MB between the early sample and the end, over ${TARGET_RSS_GROWTH_MB} MB`);
    notes.push(
      `RSS ${rssAtStart.toFixed(0)} MB before, ${(rssEarly ?? rssAtStart).toFixed(0)} MB early, ${rssAtEnd.toFixed(0)} MB at the end, peak ${peak.toFixed(0)} MB; ${records.toLocaleString('en-US')} OCSF records, ${(bytes / MB).toFixed(0)} MB`,
    );
    const met = ratio >= TARGET_RATIO && growth <= TARGET_RSS_GROWTH_MB;
    return {
      status: 'measured',
      ratio,
      ceiling,
      figures: [
        { name: 'exported', value: rate, unit: 'events/s' },
        { name: 'RSS growth (end - early)', value: growth, unit: 'MB', inTable: true },
        { name: 'events', value: head, unit: 'events', inTable: true },
        { name: 'OCSF records', value: records, unit: 'records' },
        { name: 'peak RSS', value: peak, unit: 'MB' },
      ],
      targetMet: !met ? false : head >= TARGET_EVENTS ? true : undefined,
      notes,
    };
  } finally {
    await server.stop();
  }
}

export const ocsfExport = capabilityScenario({
  id: 'B8',
  title: 'OCSF export of 1,000,000 events',
  target: `>= ${TARGET_RATIO * 100}% of the raw scan ceiling; RSS at 1M within ${TARGET_RSS_GROWTH_MB} MB of RSS at 100k`,
  needs: { endpoint: { method: 'GET', path: '/v1/audit/export?format=ocsf' } },
  measure: measureOcsfExport,
});
