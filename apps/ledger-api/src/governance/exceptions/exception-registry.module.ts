import { Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { ExceptionRegistry } from '@ledger/core';

/** One registry per process, shared by ingestion, governance and the projections' views. */
@Module({
  providers: [{ provide: ExceptionRegistry, useFactory: (store: EventStore) => new ExceptionRegistry(store), inject: [EVENT_STORE] }],
  exports: [ExceptionRegistry],
})
export class ExceptionRegistryModule {}
