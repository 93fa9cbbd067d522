import { join } from 'node:path';
import { rawAppendCeiling } from '../ceilings';
import { loadBatches } from '../harness/batch-loader';
import { BATCH_SIZE, SerializedBatch } from '../harness/estate-feed';
import { startLedgerServer } from '../harness/ledger-server';
import { MB } from '../harness/process-memory';
import { BATCH_WRITERS, referenceEstate } from '../harness/reference-estate';
import { Scenario } from '../harness/scenario';

const TARGET_RATIO = 0.4;

export const batchIngestion: Scenario = {
  id: 'B1',
  title: `Batch ingestion over HTTP (${BATCH_SIZE}-event batches, ${BATCH_WRITERS} clients)`,
  target: '>= 40% of the raw append ceiling',
  async run(context) {
    const estate = await referenceEstate(context);
    const ceiling = await rawAppendCeiling(context);
    // Serialized before the clock starts: the load generator shares the cores with the server.
    const lanes: SerializedBatch[][] = estate.shards.map((events) => {
      const batches: SerializedBatch[] = [];
      for (let i = 0; i < events.length; i += BATCH_SIZE) {
        const batch = events.slice(i, i + BATCH_SIZE);
        batches.push({ body: JSON.stringify(batch), events: batch.length });
      }
      return batches;
    });

    const server = await startLedgerServer(context, {
      dataDir: context.scratchDir('b1'),
      cpuProfileDir: context.options.cpuProfileDir && join(context.options.cpuProfileDir, 'B1'),
    });
    try {
      context.log(`B1: sending ${estate.events.length} events in batches of ${BATCH_SIZE} from ${BATCH_WRITERS} clients`);
      const load = await server.profileWindow(() => loadBatches(server, lanes));
      const rate = load.events / load.seconds;
      const ratio = rate / ceiling.value;
      const notes = load.failures.map((failure) => `refused batches: ${failure}`);
      if (ratio < TARGET_RATIO) notes.push(`missed by ${((TARGET_RATIO - ratio) * 100).toFixed(1)} points of the ceiling`);
      return {
        status: load.failures.length > 0 ? 'failed' : 'measured',
        ratio,
        ceiling,
        figures: [
          { name: 'ingested', value: rate, unit: 'events/s' },
          { name: 'events', value: load.events, unit: 'events' },
          { name: 'duration', value: load.seconds, unit: 's' },
          { name: 'server RSS after', value: server.residentSetBytes() / MB, unit: 'MB' },
        ],
        targetMet: load.failures.length === 0 && ratio >= TARGET_RATIO,
        notes,
      };
    } finally {
      await server.stop();
    }
  },
};
