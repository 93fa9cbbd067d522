import { Agent, request } from 'node:http';

export interface OpenLoopOptions {
  url: string;
  headers: Record<string, string>;
  /** Requests per second, sent on schedule whatever the server answers. */
  rate: number;
  seconds: number;
  /** The body of the i-th request. */
  body(index: number): string;
}

export interface OpenLoopResult {
  sent: number;
  /** 2xx answers. */
  succeeded: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** Sorted, from each request's scheduled send time to its answer. */
  latenciesMs: number[];
}

/**
 * An open-loop load: request i is due at start + i / rate, and is sent then
 * even if earlier ones have not been answered, as logins arrive at a real
 * ledger. Latency counts from the due time, so a server that falls behind
 * shows it (no coordinated omission, which a closed loop such as autocannon
 * with a rate cap hides).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let succeeded = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now() + 50;
  const send = (index: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const body = options.body(index);
      const outgoing = request(
        options.url,
        { method: 'POST', agent, headers: { ...options.headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            latencies.push(performance.now() - dueAt);
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status >= 200 && status < 300) succeeded++;
            resolve();
          });
        },
      );
      outgoing.once('error', () => {
        errors++;
        resolve();
      });
      outgoing.end(body);
    });
  for (let index = 0; index < total;) {
    const now = performance.now();
    // Send every request that is due; then sleep until the next one is.
    while (index < total && start + (index * 1000) / options.rate <= now) {
      inFlight.push(send(index, start + (index * 1000) / options.rate));
      index++;
    }
    if (index < total) {
      const wait = start + (index * 1000) / options.rate - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 5))));
    }
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { sent: total, succeeded, statusCodes, errors, latenciesMs: latencies.sort((a, b) => a - b) };
}
