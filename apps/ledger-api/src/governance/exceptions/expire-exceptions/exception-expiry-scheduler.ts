import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DomainRuleViolation, exceptionsDueToExpire } from '@ledger/domain';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { LedgerConflictError } from '@ledger/core';
import { ExceptionRegistry } from '@ledger/core';
import { ExceptionStreams } from '../exception-streams';

/** Written into every expiry's metadata, where a request would name the key and the request id. */
const SCHEDULER_CONTEXT = { correlationId: 'exception-expiry', causationId: 'exception-expiry', writtenBy: 'exception-expiry-scheduler' };

/**
 * Records `assurance.exception.expired` for every exception whose expiry has
 * passed: once at start (so one that expired while the service was down is
 * expired before it answers) and then every sweep interval. The event's time
 * is the expiry, not the sweep. Several processes may sweep the same store:
 * each expiry is appended at the revision it was decided on, so one of them
 * writes it and the others find it done.
 */
@Injectable()
export class ExceptionExpiryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ExceptionExpiry');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly registry: ExceptionRegistry,
    private readonly streams: ExceptionStreams,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweepLogged();
    this.timer = setInterval(() => void this.sweepLogged(), this.config.exceptionSweepIntervalMs);
    this.timer.unref();
  }

  /** Before the event store closes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Expires what is due; answers how many this process recorded. One sweep at a time. */
  sweep(now = new Date().toISOString()): Promise<number> {
    this.running ??= this.expireDue(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepLogged(): Promise<void> {
    try {
      const expired = await this.sweep();
      if (expired > 0) this.logger.log(`recorded ${expired} exception expir${expired === 1 ? 'y' : 'ies'}`);
    } catch (error) {
      // The store may be down; the next sweep tries again.
      this.logger.warn(`exception expiry sweep failed: ${String(error)}`);
    }
  }

  private async expireDue(now: string): Promise<number> {
    const { catalog } = await this.registry.current();
    let expired = 0;
    for (const { exceptionId } of exceptionsDueToExpire(catalog, now)) {
      try {
        await this.streams.execute(exceptionId, { type: 'ExpireException', now }, SCHEDULER_CONTEXT);
        expired++;
      } catch (error) {
        // Another process expired or revoked it first: its outcome stands.
        if (error instanceof LedgerConflictError || error instanceof DomainRuleViolation) continue;
        throw error;
      }
    }
    return expired;
  }
}
