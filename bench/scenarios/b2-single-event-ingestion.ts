import { join } from 'node:path';
import { HTTP_CONNECTIONS, withHttpCeiling } from '../ceilings';
import { EVENT_MEDIA_TYPE } from '../harness/estate-feed';
import { plannedEventCount, singleEventLanes } from '../harness/event-lanes';
import { runHttpLoad } from '../harness/http-load';
import { startLedgerServer } from '../harness/ledger-server';
import { MB } from '../harness/process-memory';
import { Scenario } from '../harness/scenario';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

export const singleEventIngestion: Scenario = {
  id: 'B2',
  title: `Single-event ingestion over HTTP (${HTTP_CONNECTIONS} connections, durable before 201)`,
  target: `>= 50% of the HTTP ceiling's req/s; p99 <= ${TARGET_P99_MS} ms`,
  async run(context) {
    const seconds = context.size(4, context.options.loadSeconds);
    context.log(`B2: preparing ${HTTP_CONNECTIONS} lanes of events`);
    const lanes = singleEventLanes(context.options.seed, HTTP_CONNECTIONS, plannedEventCount(seconds));

    const server = await startLedgerServer(context, {
      dataDir: context.scratchDir('b2'),
      cpuProfileDir: context.options.cpuProfileDir && join(context.options.cpuProfileDir, 'B2'),
    });
    try {
      const { measured: load, bracket } = await withHttpCeiling(context, 'B2', () => {
        context.log(`B2: ${HTTP_CONNECTIONS} connections for ${seconds} s`);
        // Profiled alone: the server idles while the ceiling is measured around it on another server.
        return server.profileWindow(() =>
          runHttpLoad({
            url: `${server.url}/v1/events`,
            method: 'POST',
            connections: HTTP_CONNECTIONS,
            seconds,
            headers: { ...server.headers, 'content-type': EVENT_MEDIA_TYPE },
            lanes,
          }),
        );
      });
      const ceiling = bracket.ceiling;
      const ratio = load.requestsPerSecond / ceiling.value;
      const refused = Object.entries(load.statusCodes).filter(([code]) => !code.startsWith('2'));
      const notes: string[] = [];
      if (refused.length > 0 || load.errors > 0) {
        notes.push(
          `answers other than 2xx: ${JSON.stringify(Object.fromEntries(refused))}; errors ${load.errors}, timeouts ${load.timeouts}`,
        );
      }
      if (ratio < TARGET_RATIO) notes.push(`throughput missed by ${((TARGET_RATIO - ratio) * 100).toFixed(1)} points of the ceiling`);
      if (load.latencyP99Ms > TARGET_P99_MS) notes.push(`p99 missed by ${(load.latencyP99Ms - TARGET_P99_MS).toFixed(0)} ms`);
      return {
        status: refused.length > 0 ? 'failed' : 'measured',
        ratio,
        ceiling,
        figures: [
          { name: 'recorded', value: load.requestsPerSecond, unit: 'req/s' },
          { name: 'p50', value: load.latencyP50Ms, unit: 'ms' },
          { name: 'p99', value: load.latencyP99Ms, unit: 'ms', inTable: true },
          { name: 'max', value: load.latencyMaxMs, unit: 'ms' },
          { name: 'HTTP ceiling before', value: bracket.before.requestsPerSecond, unit: 'req/s' },
          { name: 'HTTP ceiling after', value: bracket.after.requestsPerSecond, unit: 'req/s' },
          { name: 'HTTP ceiling p99 (worse half)', value: Math.max(bracket.before.latencyP99Ms, bracket.after.latencyP99Ms), unit: 'ms' },
          { name: 'duration', value: load.seconds, unit: 's' },
          { name: 'server RSS after', value: server.residentSetBytes() / MB, unit: 'MB' },
        ],
        targetMet: refused.length === 0 && load.errors === 0 && ratio >= TARGET_RATIO && load.latencyP99Ms <= TARGET_P99_MS,
        notes,
      };
    } finally {
      await server.stop();
    }
  },
};
