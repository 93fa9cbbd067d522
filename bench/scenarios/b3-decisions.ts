import { join } from 'node:path';
import { ESTATE_APPLICATIONS, SeededRandom, subjectIdFor } from '../../libs/estate-generator/src';
import { HTTP_CONNECTIONS, withHttpCeiling } from '../ceilings';
import { BenchContext } from '../harness/bench-context';
import { loadBatches } from '../harness/batch-loader';
import { capabilityScenario } from '../harness/capability-scenario';
import { shardBatches } from '../harness/estate-feed';
import { runHttpLoad } from '../harness/http-load';
import { readModelsCaughtUp } from '../harness/ingested-ledger-server';
import { LedgerServer, startLedgerServer } from '../harness/ledger-server';
import { ScenarioResult } from '../harness/scenario';

const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 15;
const TARGET_SUBJECTS = 100_000;
const SEED_WRITERS = 4;
/** Distinct request bodies; each connection walks them from its own offset. */
const REQUEST_POOL = 4096;
/** A short history per subject: proofing, devices, enrollments and a few sign-ins are what a decision reads. */
const SIGN_INS_PER_SEEDED_SUBJECT = { min: 1, max: 3 };

function decisionRequests(seed: number, subjects: number): string[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: REQUEST_POOL }, () => {
    const application = random.pick(ESTATE_APPLICATIONS);
    const subjectIndex = random.int(0, subjects - 1);
    const riskLevel = random.weighted([
      ['low', 85],
      ['medium', 12],
      ['high', 3],
    ] as const);
    return JSON.stringify({
      subjectId: subjectIdFor(subjectIndex),
      channel: application.channel,
      applicationId: application.applicationId,
      context: {
        deviceId: `${subjectIdFor(subjectIndex)}-laptop-1`,
        ipAddress: `198.51.100.${random.int(1, 254)}`,
        riskLevel,
        signals: riskLevel === 'low' ? [] : ['new-location'],
      },
    });
  });
}

export interface SeededDecisionServer {
  server: LedgerServer;
  subjects: number;
  /** Events the seeding recorded. */
  seededEvents: number;
  /** REQUEST_POOL decision bodies over the seeded subjects. */
  requests: string[];
}

/** A ledger seeded with a short history per subject, and the decision requests to send it; B3 and B3L share it. */
export async function seededDecisionServer(
  context: BenchContext,
  id: string,
): Promise<{ seeded: SeededDecisionServer } | { failed: ScenarioResult; server: LedgerServer }> {
  const subjects = context.size(1_000, context.options.decisionSubjects);
  const server = await startLedgerServer(context, {
    dataDir: context.scratchDir(id.toLowerCase()),
    cpuProfileDir: context.options.cpuProfileDir && join(context.options.cpuProfileDir, id),
  });
  const estate = { seed: context.options.seed, subjects, authenticationsPerSubject: SIGN_INS_PER_SEEDED_SUBJECT };
  context.log(`${id}: seeding ${subjects.toLocaleString('en-US')} subjects`);
  const seeding = await loadBatches(
    server,
    Array.from({ length: SEED_WRITERS }, (_, index) => shardBatches(estate, { index, count: SEED_WRITERS }, Number.MAX_SAFE_INTEGER)),
  );
  if (seeding.failures.length > 0)
    return { server, failed: { status: 'failed', figures: [], notes: seeding.failures.map((failure) => `seeding refused: ${failure}`) } };
  // Decisions are measured on a steady server: a year of history loaded in minutes leaves the
  // projections catching up for a while, and that catch-up is B4's to measure, not B3's.
  context.log(`${id}: waiting for the read models to catch up with the seeded history`);
  await readModelsCaughtUp(server);
  return { seeded: { server, subjects, seededEvents: seeding.events, requests: decisionRequests(context.options.seed, subjects) } };
}

async function measureDecisions(context: BenchContext): Promise<ScenarioResult> {
  const outcome = await seededDecisionServer(context, 'B3');
  if ('failed' in outcome) {
    await outcome.server.stop();
    return outcome.failed;
  }
  const { server, subjects, seededEvents, requests } = outcome.seeded;
  try {
    const lanes = Array.from({ length: HTTP_CONNECTIONS }, (_, lane) => {
      let next = (lane * REQUEST_POOL) / HTTP_CONNECTIONS;
      return () => requests[next++ % REQUEST_POOL];
    });
    const seconds = context.size(4, context.options.loadSeconds);
    const { measured: load, bracket } = await withHttpCeiling(context, 'B3', () => {
      context.log(`B3: ${HTTP_CONNECTIONS} connections for ${seconds} s`);
      // Profiled alone: not the seeding, nor the idle time while the ceiling is measured.
      return server.profileWindow(() =>
        runHttpLoad({
          url: `${server.url}/v1/decisions`,
          method: 'POST',
          connections: HTTP_CONNECTIONS,
          seconds,
          headers: { ...server.headers, 'content-type': 'application/json' },
          lanes,
        }),
      );
    });
    const ceiling = bracket.ceiling;
    const ratio = load.requestsPerSecond / ceiling.value;
    const refused = Object.entries(load.statusCodes).filter(([code]) => !code.startsWith('2'));
    const notes: string[] = [];
    if (refused.length > 0 || load.errors > 0)
      notes.push(`answers other than 2xx: ${JSON.stringify(Object.fromEntries(refused))}; errors ${load.errors}`);
    if (subjects < TARGET_SUBJECTS)
      notes.push(
        `${subjects.toLocaleString('en-US')} subjects seeded (${seededEvents.toLocaleString('en-US')} events), of the target's ${TARGET_SUBJECTS.toLocaleString('en-US')}`,
      );
    if (ratio < TARGET_RATIO) notes.push(`throughput missed by ${((TARGET_RATIO - ratio) * 100).toFixed(1)} points of the ceiling`);
    if (load.latencyP99Ms > TARGET_P99_MS) notes.push(`p99 missed by ${(load.latencyP99Ms - TARGET_P99_MS).toFixed(0)} ms`);
    const withinTarget = refused.length === 0 && load.errors === 0 && ratio >= TARGET_RATIO && load.latencyP99Ms <= TARGET_P99_MS;
    return {
      status: refused.length > 0 ? 'failed' : 'measured',
      ratio,
      ceiling,
      figures: [
        { name: 'decided', value: load.requestsPerSecond, unit: 'req/s' },
        { name: 'p99', value: load.latencyP99Ms, unit: 'ms', inTable: true },
        { name: 'p50', value: load.latencyP50Ms, unit: 'ms' },
        { name: 'HTTP ceiling before', value: bracket.before.requestsPerSecond, unit: 'req/s' },
        { name: 'HTTP ceiling after', value: bracket.after.requestsPerSecond, unit: 'req/s' },
        { name: 'subjects seeded', value: subjects, unit: 'subjects', inTable: true },
      ],
      // Met at fewer subjects is not yet met at the target's size.
      targetMet: !withinTarget ? false : subjects >= TARGET_SUBJECTS ? true : undefined,
      notes,
    };
  } finally {
    await server.stop();
  }
}

export const decisions = capabilityScenario({
  id: 'B3',
  title: 'POST /v1/decisions (64 connections, 100k subjects seeded)',
  target: `>= 60% of the HTTP ceiling's req/s; p99 <= ${TARGET_P99_MS} ms`,
  needs: { endpoint: { method: 'POST', path: '/v1/decisions', body: {} } },
  measure: measureDecisions,
});
