import { BATCH_MEDIA_TYPE, SerializedBatch } from './estate-feed';

export interface BatchLoadResult {
  events: number;
  batches: number;
  seconds: number;
  /** Non-2xx answers, e.g. "409 x3"; a valid run has none. */
  failures: string[];
}

/**
 * Our own load loop for batches: each lane is one client that sends its
 * batches one after another, and the lanes run concurrently. A lane owns its
 * subjects, so the order of each subject's events is kept.
 */
export async function loadBatches(
  server: { url: string; headers: Record<string, string> },
  lanes: Iterable<SerializedBatch>[],
  onBatch?: (eventsSoFar: number) => Promise<void> | void,
): Promise<BatchLoadResult> {
  const failuresByStatus = new Map<string, number>();
  let events = 0;
  let batches = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const batch of lane) {
        const response = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { ...server.headers, 'content-type': BATCH_MEDIA_TYPE },
          body: batch.body,
        });
        const answer = await response.text();
        if (response.status !== 201 && response.status !== 200) {
          const key = `${response.status} ${answer.slice(0, 300)}`;
          failuresByStatus.set(key, (failuresByStatus.get(key) ?? 0) + 1);
          continue;
        }
        events += batch.events;
        batches++;
        await onBatch?.(events);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events, batches, seconds, failures: [...failuresByStatus].map(([failure, count]) => `${count} x ${failure}`) };
}
