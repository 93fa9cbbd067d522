import { join } from 'node:path';
import { generateEstate, subjectIdFor } from '../../libs/estate-generator/src';
import { HTTP_CONNECTIONS } from '../ceilings';
import { BenchContext } from '../harness/bench-context';
import { capabilityScenario } from '../harness/capability-scenario';
import { EVENT_MEDIA_TYPE } from '../harness/estate-feed';
import { plannedEventCount, singleEventLanes } from '../harness/event-lanes';
import { runHttpLoad } from '../harness/http-load';
import { startLedgerServer } from '../harness/ledger-server';
import { ScenarioResult } from '../harness/scenario';

const TARGET_P99_MS = 250;
/** "Does not grow": the median lag of the last third of the run may exceed the first third's by at most this. */
const GROWTH_ALLOWANCE_MS = 50;
const PROBE_INTERVAL_MS = 200;
const LAG_PROBE_PREFIX = 'lagprobe';

interface LagSample {
  /** Seconds into the run. */
  at: number;
  lagMs: number;
  /** The read models did not include the event within the server's consistency wait. */
  timedOut: boolean;
}

/**
 * B2's load, plus one probe writer: every 200 ms it records an event, takes
 * its position from the 201, and asks the subject read model for it with
 * ?minPosition. The time from the 201 to that answer is the lag a client that
 * reads its own writes sees.
 */
async function measureLag(context: BenchContext): Promise<ScenarioResult> {
  const seconds = context.size(4, 60);
  const lanes = singleEventLanes(context.options.seed, HTTP_CONNECTIONS, plannedEventCount(seconds));
  const server = await startLedgerServer(context, {
    dataDir: context.scratchDir('b5'),
    cpuProfileDir: context.options.cpuProfileDir && join(context.options.cpuProfileDir, 'B5'),
  });
  try {
    const probeSubject = subjectIdFor(0, LAG_PROBE_PREFIX);
    const probeEvents = generateEstate({
      seed: context.options.seed,
      subjects: 1,
      subjectIdPrefix: LAG_PROBE_PREFIX,
      authenticationsPerSubject: { min: 10_000, max: 10_000 },
    });
    const samples: LagSample[] = [];
    const failures: string[] = [];
    let loadRunning = true;
    const started = performance.now();

    const probing = (async () => {
      while (loadRunning) {
        const next = probeEvents.next();
        if (next.done) break;
        const recorded = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { ...server.headers, 'content-type': EVENT_MEDIA_TYPE },
          body: JSON.stringify(next.value),
        });
        const answer = (await recorded.json()) as { results?: Array<{ position: number }> };
        const position = answer.results?.[0]?.position;
        if (recorded.status !== 201 || position === undefined) {
          failures.push(`probe write answered ${recorded.status}`);
          continue;
        }
        const durableAt = performance.now();
        const read = await fetch(`${server.url}/v1/subjects/${probeSubject}?minPosition=${position}`, { headers: server.headers });
        await read.arrayBuffer();
        const lagMs = performance.now() - durableAt;
        if (read.status !== 200 && read.status !== 503) failures.push(`probe read answered ${read.status}`);
        samples.push({ at: (durableAt - started) / 1000, lagMs, timedOut: read.status === 503 });
        await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
      }
    })();

    context.log(`B5: B2's load (${HTTP_CONNECTIONS} connections) for ${seconds} s, probing the read models every ${PROBE_INTERVAL_MS} ms`);
    const load = await server.profileWindow(() =>
      runHttpLoad({
        url: `${server.url}/v1/events`,
        method: 'POST',
        connections: HTTP_CONNECTIONS,
        seconds,
        headers: { ...server.headers, 'content-type': EVENT_MEDIA_TYPE },
        lanes,
      }),
    );
    loadRunning = false;
    await probing;

    if (samples.length < 3)
      return { status: 'failed', figures: [], notes: [`only ${samples.length} lag samples`, ...failures.slice(0, 3)] };
    const lags = samples.map((sample) => sample.lagMs).sort((a, b) => a - b);
    const p99 = percentile(lags, 0.99);
    const third = Math.max(1, Math.floor(samples.length / 3));
    const firstThird = median(samples.slice(0, third).map((sample) => sample.lagMs));
    const lastThird = median(samples.slice(-third).map((sample) => sample.lagMs));
    const growth = lastThird - firstThird;
    const timedOut = samples.filter((sample) => sample.timedOut).length;
    const notes = [...new Set(failures)].slice(0, 3);
    if (timedOut > 0)
      notes.push(`${timedOut} of ${samples.length} probes were not visible within the server's consistency wait (counted at that wait)`);
    if (p99 > TARGET_P99_MS) notes.push(`p99 lag missed by ${(p99 - TARGET_P99_MS).toFixed(0)} ms`);
    if (growth > GROWTH_ALLOWANCE_MS)
      notes.push(`lag grew: median ${firstThird.toFixed(0)} ms in the first third, ${lastThird.toFixed(0)} ms in the last`);
    return {
      status: failures.length > 0 ? 'failed' : 'measured',
      figures: [
        { name: 'p99 lag', value: p99, unit: 'ms' },
        { name: 'lag growth (last third - first third, medians)', value: growth, unit: 'ms', inTable: true },
        { name: 'p50 lag', value: percentile(lags, 0.5), unit: 'ms' },
        { name: 'max lag', value: lags[lags.length - 1], unit: 'ms' },
        { name: 'lag samples', value: samples.length, unit: 'samples' },
        { name: 'load recorded', value: load.requestsPerSecond, unit: 'req/s', inTable: true },
        { name: 'load p99', value: load.latencyP99Ms, unit: 'ms' },
      ],
      targetMet: failures.length === 0 && p99 <= TARGET_P99_MS && growth <= GROWTH_ALLOWANCE_MS,
      notes,
    };
  } finally {
    await server.stop();
  }
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export const projectionLag = capabilityScenario({
  id: 'B5',
  title: 'Live projection lag during B2',
  target: `p99 lag <= ${TARGET_P99_MS} ms; lag does not grow over a 60 s run`,
  // The read models' status; the measurement reads its own writes through GET /v1/subjects/:id?minPosition.
  needs: { endpoint: { method: 'GET', path: '/v1/projections' } },
  measure: measureLag,
});
