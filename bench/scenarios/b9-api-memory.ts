import { ingestedLedger } from '../harness/ingested-ledger';
import { Scenario } from '../harness/scenario';

const TARGET_RSS_MB = 300;
/** The issue's size; a run may ingest fewer with --memory-events and says so. */
const TARGET_EVENTS = 2_000_000;
/** "Not growing with history": RSS may rise by at most this share of its final value over the second half of the run. */
const FLAT_GROWTH_SHARE = 0.1;

export const apiMemory: Scenario = {
  id: 'B9',
  title: 'Memory of the API process while ingesting',
  target: `RSS <= ${TARGET_RSS_MB} MB after ${TARGET_EVENTS.toLocaleString('en-US')} events, not growing with history`,
  async run(context) {
    const { load, rss, heap } = await ingestedLedger(context);
    const finalRss = rss[rss.length - 1].rssMb;
    const atHalf = rss.find((sample) => sample.events >= load.events / 2) ?? rss[0];
    const peak = Math.max(...rss.map((sample) => sample.rssMb));
    const secondHalfGrowth = finalRss - atHalf.rssMb;
    const flat = secondHalfGrowth <= FLAT_GROWTH_SHARE * finalRss;
    const withinLimits = load.failures.length === 0 && finalRss <= TARGET_RSS_MB && flat;
    const notes = load.failures.map((failure) => `refused batches: ${failure}`);
    if (load.events < TARGET_EVENTS)
      notes.push(`ran ${load.events.toLocaleString('en-US')} of the target's ${TARGET_EVENTS.toLocaleString('en-US')} events`);
    if (!flat)
      notes.push(
        `RSS grew ${secondHalfGrowth.toFixed(0)} MB over the second half, more than ${FLAT_GROWTH_SHARE * 100}% of its final value`,
      );
    if (finalRss > TARGET_RSS_MB) notes.push(`RSS over target by ${(finalRss - TARGET_RSS_MB).toFixed(0)} MB`);
    if (heap)
      notes.push(
        `at the end V8's heap used ${heap.usedMb.toFixed(0)} MB of ${heap.totalMb.toFixed(0)} MB, external ${heap.externalMb.toFixed(0)} MB; the rest of the RSS is native`,
      );
    notes.push(
      `RSS by events ingested: ${rss.map((sample) => `${Math.round(sample.events / 1000)}k=${sample.rssMb.toFixed(0)}`).join(' ')} (MB)`,
    );
    return {
      status: load.failures.length > 0 ? 'failed' : 'measured',
      figures: [
        { name: 'RSS after', value: finalRss, unit: 'MB' },
        { name: 'RSS growth over second half', value: secondHalfGrowth, unit: 'MB', inTable: true },
        { name: 'peak RSS', value: peak, unit: 'MB' },
        { name: 'events', value: load.events, unit: 'events', inTable: true },
        { name: 'ingested', value: load.events / load.seconds, unit: 'events/s' },
      ],
      // Over the limits at a smaller size is a miss; within them at a smaller size is not yet a pass.
      targetMet: !withinLimits ? false : load.events >= TARGET_EVENTS ? true : undefined,
      notes,
    };
  },
};
