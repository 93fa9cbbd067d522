import { HTTP_CONNECTIONS } from '../ceilings';
import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { runHttpLoad } from '../harness/http-load';
import { percentile } from '../harness/ingested-ledger-server';
import { runOpenLoop } from '../harness/open-loop';
import { ScenarioResult } from '../harness/scenario';
import { seededDecisionServer } from './b3-decisions';

const TARGET_P99_MS = 10;
/** Inline use is about latency at normal load: half of what the same server decides at saturation. */
const LOAD_FRACTION = 0.5;

/**
 * Decision latency at a steady, realistic load (issue 18): the same seeded
 * ledger and requests as B3; its saturated throughput is measured first on
 * this server, then decisions arrive open-loop at half that rate.
 */
async function measureDecisionLatency(context: BenchContext): Promise<ScenarioResult> {
  const outcome = await seededDecisionServer(context, 'B3L');
  if ('failed' in outcome) {
    await outcome.server.stop();
    return outcome.failed;
  }
  const { server, subjects, requests } = outcome.seeded;
  try {
    const headers = { ...server.headers, 'content-type': 'application/json' };
    context.log(`B3L: saturated throughput, ${HTTP_CONNECTIONS} connections for ${context.size(3, 10)} s`);
    let next = 0;
    const saturated = await runHttpLoad({
      url: `${server.url}/v1/decisions`,
      method: 'POST',
      connections: HTTP_CONNECTIONS,
      seconds: context.size(3, 10),
      headers,
      lanes: Array.from({ length: HTTP_CONNECTIONS }, () => () => requests[next++ % requests.length]),
    });
    const rate = Math.max(1, Math.floor(saturated.requestsPerSecond * LOAD_FRACTION));
    const seconds = context.size(5, 30);
    context.log(`B3L: open loop at ${rate} decisions/s for ${seconds} s`);
    const load = await server.profileWindow(() =>
      runOpenLoop({ url: `${server.url}/v1/decisions`, headers, rate, seconds, body: (index) => requests[(index * 7) % requests.length] }),
    );
    const sorted = load.latenciesMs;
    const p99 = percentile(sorted, 0.99);
    const refused = Object.entries(load.statusCodes).filter(([code]) => !code.startsWith('2'));
    const notes = [`half of ${saturated.requestsPerSecond.toFixed(0)} decisions/s measured at saturation on the same server`];
    if (refused.length > 0 || load.errors > 0)
      notes.push(`answers other than 2xx: ${JSON.stringify(Object.fromEntries(refused))}; errors ${load.errors}`);
    if (p99 > TARGET_P99_MS) notes.push(`p99 missed by ${(p99 - TARGET_P99_MS).toFixed(1)} ms`);
    return {
      status: refused.length > 0 || load.errors > 0 ? 'failed' : 'measured',
      figures: [
        { name: 'p99', value: p99, unit: 'ms' },
        { name: 'p50', value: percentile(sorted, 0.5), unit: 'ms', inTable: true },
        { name: 'p99.9', value: percentile(sorted, 0.999), unit: 'ms', inTable: true },
        { name: 'rate', value: rate, unit: 'req/s', inTable: true },
        { name: 'decisions', value: load.succeeded, unit: 'req' },
        { name: 'subjects seeded', value: subjects, unit: 'subjects' },
      ],
      targetMet: refused.length === 0 && load.errors === 0 && p99 <= TARGET_P99_MS,
      notes,
    };
  } finally {
    await server.stop();
  }
}

export const decisionLatency = capabilityScenario({
  id: 'B3L',
  title: 'POST /v1/decisions at half of its saturated throughput, open loop',
  target: `p99 <= ${TARGET_P99_MS} ms`,
  needs: { endpoint: { method: 'POST', path: '/v1/decisions', body: {} } },
  measure: measureDecisionLatency,
});
