/**
 * Counts failed authentications per client address in fixed one-minute windows. The guard asks
 * it BEFORE hashing a presented key, so an address guessing secrets is refused without making
 * the process run scrypt (~45 ms of CPU each) for it. Memory is bounded: at most `maxAddresses`
 * windows are kept, and expired ones are dropped first.
 */
export class FailedAuthenticationLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly maxFailuresPerWindow: number,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    if (!window) return 0;
    const left = window.startedAt + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.maxFailuresPerWindow ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(address: string): void {
    const at = this.now();
    const window = this.windows.get(address);
    if (window && at - window.startedAt < this.windowMs) {
      window.failures++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.dropExpired(at);
    // Still full of live windows: forget the oldest, rather than grow without bound.
    if (this.windows.size >= this.maxAddresses) this.windows.delete(this.windows.keys().next().value!);
    this.windows.delete(address);
    this.windows.set(address, { startedAt: at, failures: 1 });
  }

  private dropExpired(at: number): void {
    for (const [address, window] of this.windows) if (at - window.startedAt >= this.windowMs) this.windows.delete(address);
  }
}
