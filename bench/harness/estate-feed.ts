import { EstateCloudEvent, EstateOptions, generateEstate } from '../../libs/estate-generator/src';

export const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';
export const EVENT_MEDIA_TYPE = 'application/cloudevents+json';
/** The ledger's largest batch. */
export const BATCH_SIZE = 1000;

/** Average events per subject with the default sign-in range; used only to size estates, never as a result. */
const EVENTS_PER_SUBJECT_ESTIMATE = 55;

export function subjectsFor(events: number): number {
  return Math.max(1, Math.ceil(events / EVENTS_PER_SUBJECT_ESTIMATE));
}

export interface SerializedBatch {
  body: string;
  events: number;
}

/**
 * The first `limit` events of one shard of the estate, cut into serialized
 * batches. Lazy, so a two-million-event run never holds its whole estate.
 */
export function* shardBatches(
  estate: EstateOptions,
  shard: { index: number; count: number },
  limit: number,
  batchSize = BATCH_SIZE,
): Generator<SerializedBatch> {
  let batch: EstateCloudEvent[] = [];
  let taken = 0;
  for (const event of generateEstate({ ...estate, shard })) {
    if (taken++ >= limit) break;
    batch.push(event);
    if (batch.length === batchSize) {
      yield { body: JSON.stringify(batch), events: batch.length };
      batch = [];
    }
  }
  if (batch.length > 0) yield { body: JSON.stringify(batch), events: batch.length };
}

/** Splits `total` events over `shards` writers as evenly as whole numbers allow. */
export function shareOf(total: number, shards: number, index: number): number {
  return Math.floor(total / shards) + (index < total % shards ? 1 : 0);
}
