import { EstateCloudEvent, EstateOptions, generateEstate } from '../../libs/estate-generator/src';
import { BenchContext } from './bench-context';
import { shareOf, subjectsFor } from './estate-feed';

/** Concurrent writers in B1; each owns one shard of the subjects. */
export const BATCH_WRITERS = 4;

export interface ReferenceEstate {
  options: EstateOptions;
  /** Per writer, the events it sends, in order. */
  shards: EstateCloudEvent[][];
  /** All of them: what the raw append ceiling inserts. */
  events: EstateCloudEvent[];
}

/**
 * The events B1 sends over HTTP and the raw append ceiling inserts: one fixed,
 * seeded estate, so the two figures are about the same bytes.
 */
export function referenceEstate(context: BenchContext): Promise<ReferenceEstate> {
  return context.memo('reference-estate', async () => {
    const eventCount = context.size(20_000, context.options.ingestEvents);
    const options: EstateOptions = { seed: context.options.seed, subjects: subjectsFor(eventCount) * 2 };
    const shards = Array.from({ length: BATCH_WRITERS }, (_, index) => {
      const limit = shareOf(eventCount, BATCH_WRITERS, index);
      const events: EstateCloudEvent[] = [];
      for (const event of generateEstate({ ...options, shard: { index, count: BATCH_WRITERS } })) {
        if (events.length >= limit) break;
        events.push(event);
      }
      if (events.length < limit) throw new Error(`the reference estate's shard ${index} holds only ${events.length} of ${limit} events`);
      return events;
    });
    return { options, shards, events: shards.flat() };
  });
}
