import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { openEventStore } from '@ledger/core';
import { LedgerMetrics, meteredEventStore } from '../metrics/ledger-metrics';

/** Chooses the adapter behind the EVENT_STORE port from configuration, and counts what is written through it. */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger(EventStoreModule.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        LedgerMetrics,
        {
          provide: EVENT_STORE,
          useFactory: (metrics: LedgerMetrics) => meteredEventStore(openEventStore(config), metrics),
          inject: [LedgerMetrics],
        },
      ],
      exports: [LEDGER_CONFIG, EVENT_STORE, LedgerMetrics],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close().catch((error: unknown) => this.logger.error(`closing the event store failed: ${String(error)}`));
  }
}
