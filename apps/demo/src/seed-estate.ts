import { EstateCloudEvent, EstateOptions, generateEstate } from '../../../libs/estate-generator/src';

const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';
const BATCH_SIZE = 500;
/** Concurrent writers; each owns a shard of the subjects, so every subject's events stay in order. */
const LANES = 2;
const DAY_MS = 24 * 3600 * 1000;

/** The demo's estate: fixed seed, a few hundred subjects, histories ending a few days before `now`. */
export const DEMO_SEED = 20_261_108;
export const DEMO_SUBJECTS = 300;

/**
 * The same generator the benchmarks use. Its histories are moved to end just
 * before today, so the console shows recent sign-ins and open cases of every
 * age; the seed alone fixes who has what.
 */
export function demoEstateOptions(subjects: number, now: Date = new Date()): EstateOptions {
  const periodDays = 40;
  const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return {
    seed: DEMO_SEED,
    subjects,
    authenticationsPerSubject: { min: 3, max: 14 },
    startTime: new Date(startOfToday - (periodDays + 5) * DAY_MS).toISOString(),
    periodDays,
  };
}

export interface SeedTarget {
  url: string;
  /** Headers of a key with the emitter role. */
  emitter: Record<string, string>;
  /** Headers of a key that may search subjects, to wait for the projections. */
  reader: Record<string, string>;
}

export interface SeedResult {
  events: number;
  subjects: number;
  /** Highest global position written; the read models have caught up with it when seeding returns. */
  lastPosition: number;
}

function* batchesOf(events: Iterable<EstateCloudEvent>): Generator<EstateCloudEvent[]> {
  let batch: EstateCloudEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length === BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Posts a generated estate through the public API, as an identity provider
 * would, then waits until the projections have applied all of it.
 */
export async function seedEstate(target: SeedTarget, estate: EstateOptions, onProgress?: (events: number) => void): Promise<SeedResult> {
  let events = 0;
  let lastPosition = 0;
  await Promise.all(
    Array.from({ length: LANES }, async (_, index) => {
      for (const batch of batchesOf(generateEstate({ ...estate, shard: { index, count: LANES } }))) {
        const response = await fetch(`${target.url}/v1/events`, {
          method: 'POST',
          headers: { ...target.emitter, 'content-type': BATCH_MEDIA_TYPE },
          body: JSON.stringify(batch),
        });
        const answer = (await response.json()) as { results?: Array<{ position?: number }>; message?: string };
        if (response.status !== 201 && response.status !== 200) {
          throw new Error(`seeding failed: POST /v1/events answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
        }
        for (const result of answer.results ?? []) lastPosition = Math.max(lastPosition, result.position ?? 0);
        events += batch.length;
        onProgress?.(events);
      }
    }),
  );
  await waitForProjections(target, lastPosition);
  return { events, subjects: estate.subjects, lastPosition };
}

/** Asks with `minPosition` until the read models answer: they then reflect every event written. */
export async function waitForProjections(target: SeedTarget, position: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${target.url}/v1/subjects?limit=1&minPosition=${position}`, { headers: target.reader });
    await response.arrayBuffer();
    if (response.ok) return;
    if (response.status !== 503 || Date.now() > deadline) {
      throw new Error(`the projections did not reach position ${position}: GET /v1/subjects answered ${response.status}`);
    }
  }
}
