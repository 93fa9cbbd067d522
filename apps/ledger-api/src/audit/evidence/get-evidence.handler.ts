import { ExceptionRegistry } from '@ledger/core';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { PolicyHistoryStore } from '@ledger/core';
import { ReadConsistency } from '../../projections/read-consistency';
import { buildEvidenceReport, EvidenceReport } from '@ledger/core';
import { GetEvidenceQuery } from './get-evidence.query';

@QueryHandler(GetEvidenceQuery)
export class GetEvidenceHandler implements IQueryHandler<GetEvidenceQuery, EvidenceReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly policies: PolicyHistoryStore,
    private readonly consistency: ReadConsistency,
    private readonly exceptions: ExceptionRegistry,
  ) {}

  execute({ from, to }: GetEvidenceQuery): Promise<EvidenceReport> {
    return buildEvidenceReport(
      {
        store: this.store,
        readModels: this.readModels,
        policies: this.policies,
        exceptions: this.exceptions,
        readModelsAt: (position) => this.consistency.ensure(position),
      },
      { from, to, now: new Date() },
    );
  }
}
