import { Readable } from 'node:stream';
import { EventStore, readAllPaged, StoreChainVerifier } from '@ledger/event-store';

/**
 * Verifying the whole store takes as long as reading it. As a job, the answer
 * streams NDJSON while it runs: a `progress` line every `progressEvery` events
 * (with the position reached and the head it runs to), then one `result` line
 * holding what `GET /v1/audit/verify` answers. A client sees it alive and can
 * give up without waiting for the end.
 */
export function verificationJob(store: EventStore, progressEvery: number): Readable {
  async function* lines(): AsyncGenerator<string> {
    const head = await store.headPosition();
    const verifier = new StoreChainVerifier();
    for await (const event of readAllPaged(store)) {
      // Events appended after the job started are left to the next run, so the result describes one moment.
      if (event.position > head) break;
      verifier.check(event);
      if (verifier.eventsChecked % progressEvery === 0) {
        yield `${JSON.stringify({ type: 'progress', position: event.position, head, eventsChecked: verifier.eventsChecked })}\n`;
      }
    }
    yield `${JSON.stringify({ type: 'result', head, ...verifier.result() })}\n`;
  }
  return Readable.from(lines());
}
