import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { REVIEW_ITEM_KINDS } from '@ledger/domain/projections';
import { READ_MODEL_STORE, ReadModelStore, ReadModelUnavailableError } from '@ledger/read-models';
import { ProjectionLagProbe } from '../projections/projection-lag';
import { ReadModelsModule } from '../projections/read-models.module';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsController } from './metrics.controller';

/** A scrape answers while the read models are away, without the gauges read from them. */
function unlessReadModelsAway<T>(absent: T) {
  return (error: unknown): T => {
    if (error instanceof ReadModelUnavailableError) return absent;
    throw error;
  };
}

/** `/metrics`, and the gauges read from the read models at scrape time. */
@Module({
  imports: [ReadModelsModule],
  controllers: [MetricsController],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: LedgerMetrics,
    private readonly lag: ProjectionLagProbe,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  onModuleInit(): void {
    // One measurement serves both lag gauges of a scrape.
    let pending: Promise<Awaited<ReturnType<ProjectionLagProbe['projections']>>> | undefined;
    const projections = () => {
      pending ??= this.lag
        .projections()
        .catch(unlessReadModelsAway([]))
        .finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    this.metrics.gaugeAtScrape(
      'ledger_projection_lag_events',
      'Events in the store not yet applied to each read model (counted up to 1000); absent while the store is unavailable',
      ['projection'],
      async () =>
        (await projections()).filter((p) => p.lag.events !== null).map((p) => ({ labels: { projection: p.name }, value: p.lag.events! })),
    );
    this.metrics.gaugeAtScrape(
      'ledger_projection_lag_seconds',
      'How long the oldest event not yet applied to each read model has been in the store; 0 when none',
      ['projection'],
      async () =>
        (await projections()).filter((p) => p.lag.seconds !== null).map((p) => ({ labels: { projection: p.name }, value: p.lag.seconds! })),
    );
    this.metrics.gaugeAtScrape('ledger_review_cases_open', 'Open items in the review queue, by kind', ['kind'], async () => {
      // While the read models cannot be read (PostgreSQL down) the series are absent, as the lag's are while the store is.
      const counts = await this.readModels.openReviewCounts().catch(unlessReadModelsAway(undefined));
      if (!counts) return [];
      const open = counts.value;
      // Every kind, zeros included, so that a dashboard's series do not vanish when a queue empties.
      const kinds = [...new Set([...REVIEW_ITEM_KINDS, ...Object.keys(open)])];
      return kinds.map((kind) => ({ labels: { kind }, value: open[kind] ?? 0 }));
    });
  }
}
