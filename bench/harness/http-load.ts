import autocannon from 'autocannon';

export interface HttpLoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** The same body on every request. */
  body?: string;
  /**
   * A body source per connection: connection i sends lane i's bodies in order,
   * one at a time, so whatever a lane holds arrives in its order.
   */
  lanes?: Array<() => string>;
}

export interface HttpLoadResult {
  /** 2xx answers per second over the measured window. */
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

/** Drives a server with autocannon and keeps the figures the suite reports. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  let nextLane = 0;
  const lanes = options.lanes;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    // With lanes, setupClient sets each connection's first body before it connects; this one is never sent.
    body: lanes ? '{}' : options.body,
    ...(lanes && {
      setupClient: (client: autocannon.Client) => {
        const lane = lanes[nextLane++ % lanes.length];
        client.setBody(lane());
        // 'response' fires before the client sends its next request, so the next body is in place in time.
        client.on('response', () => client.setBody(lane()));
      },
    }),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stats as { count: number }).count;
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    seconds: result.duration,
  };
}
