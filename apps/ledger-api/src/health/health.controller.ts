import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { ReadModelUnavailableError } from '@ledger/read-models';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { Public } from '../access/roles';
import { ProjectionLagProbe } from '../projections/projection-lag';
import { problem } from '../shared/problem-details';

/** A store that neither answers nor fails within this is as good as down for a load balancer. */
const STORE_PING_TIMEOUT_MS = 3000;

/** 503 from `/health/ready`, in the same problem shape as every other error, with terminus's per-check details. */
export class NotReadyException extends ServiceUnavailableException {
  constructor(result: HealthCheckResult) {
    const failing = Object.entries(result.details)
      .filter(([, check]) => check.status !== 'up')
      .map(([name, check]) => `${name}${typeof check.message === 'string' ? ` (${check.message})` : ''}`);
    super(problem({ status: 503, code: 'not-ready', detail: `not ready: ${failing.join(', ')}`, extensions: { checks: result.details } }));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness says the process runs; readiness says it can do its job: the store
 * answers and the read models are not further behind than
 * `LEDGER_READY_MAX_PROJECTION_LAG_SECONDS`. Both are public so that a load
 * balancer or an orchestrator can probe them without a key.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lag: ProjectionLagProbe,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  live() {
    return this.health.check([]);
  }

  /** The process can serve requests. `/health` is the same check, kept for existing probes. */
  @Get(['', 'ready'])
  async ready() {
    try {
      return await this.health.check([() => this.storeCheck(), () => this.projectionsCheck()]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) throw new NotReadyException(error.getResponse() as HealthCheckResult);
      throw error;
    }
  }

  private async storeCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('store');
    try {
      await withTimeout(this.store.ping(), STORE_PING_TIMEOUT_MS, 'the event store');
      return check.up({ kind: this.config.store });
    } catch (error) {
      return check.down({ kind: this.config.store, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async projectionsCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('projections');
    const limit = this.config.readyMaxProjectionLagSeconds;
    let projections;
    try {
      projections = await this.lag.projections();
    } catch (error) {
      if (!(error instanceof ReadModelUnavailableError)) throw error;
      return check.down({ role: this.config.role, readModels: this.config.readModels, message: error.message });
    }
    const seconds = projections.map((projection) => projection.lag.seconds);
    const lagSeconds = seconds.some((value) => value === null) ? null : Math.max(0, ...(seconds as number[]));
    const details = { role: this.config.role, lagSeconds, maxLagSeconds: limit };
    if (limit === 0) return check.up(details);
    if (lagSeconds === null) return check.down({ ...details, message: 'the lag cannot be measured while the store is unavailable' });
    if (lagSeconds > limit)
      return check.down({ ...details, message: `the read models are ${Math.round(lagSeconds)} s behind, over ${limit} s` });
    return check.up(details);
  }
}
