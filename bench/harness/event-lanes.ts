import { EstateCloudEvent, generateEstate } from '../../libs/estate-generator/src';
import { subjectsFor } from './estate-feed';

/**
 * Events per second prepared ahead of a run, above what the ledger reaches on
 * a 2-core machine; a faster server makes the lanes generate the rest as it goes.
 */
const PREPARED_RATE = 4_000;

export function plannedEventCount(seconds: number): number {
  return Math.ceil(PREPARED_RATE * seconds * 1.2);
}

/**
 * One lane per connection, each owning its own subjects, so a subject's
 * events arrive in order (an enrollment before its revocation). Events are
 * serialized ahead; if the server outruns the plan the lane keeps generating.
 */
export function singleEventLanes(seed: number, lanes: number, plannedEvents: number): Array<() => string> {
  const perLane = Math.ceil(plannedEvents / lanes);
  // Far more subjects than planned: generation is lazy, and a lane that outruns the plan must not run dry.
  const subjects = subjectsFor(plannedEvents) * 10 + lanes;
  return Array.from({ length: lanes }, (_, index) => {
    const source: Iterator<EstateCloudEvent> = generateEstate({ seed, subjects, shard: { index, count: lanes }, interleaveWindow: 4 });
    const ahead: string[] = [];
    for (let i = 0; i < perLane; i++) {
      const next = source.next();
      if (next.done) break;
      ahead.push(JSON.stringify(next.value));
    }
    ahead.reverse();
    return () => {
      const prepared = ahead.pop();
      if (prepared !== undefined) return prepared;
      const next = source.next();
      if (next.done) throw new Error(`lane ${index} ran out of events; plan more subjects`);
      return JSON.stringify(next.value);
    };
  });
}
