import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LedgerConfig } from '@ledger/core';
import { EventStoreModule } from './infrastructure/event-store.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { ReadModelsModule } from './projections/read-models.module';
import { RecordEventsController } from './ingestion/record-events/record-events.controller';
import { RecordEventsHandler } from './ingestion/record-events/record-events.handler';
import { ListSubjectEventsController } from './ingestion/list-subject-events/list-subject-events.controller';
import { ListSubjectEventsHandler } from './ingestion/list-subject-events/list-subject-events.handler';
import { ListEventTypesController } from './ingestion/list-event-types/list-event-types.controller';
import { VerifyChainController } from './audit/verify-chain/verify-chain.controller';
import { VerifyChainHandler } from './audit/verify-chain/verify-chain.handler';
import { ExportEventsController } from './audit/export-events/export-events.controller';
import { CheckpointsController } from './audit/checkpoints/checkpoints.controller';
import { CheckpointRecorder } from './audit/checkpoints/checkpoint-recorder';
import { SubjectStateAsOfController } from './audit/subject-state-as-of/subject-state-as-of.controller';
import { SubjectStateAsOfHandler } from './audit/subject-state-as-of/subject-state-as-of.handler';
import { SubjectHistoryController } from './audit/subject-history/subject-history.controller';
import { SubjectHistoryHandler } from './audit/subject-history/subject-history.handler';
import { AuthenticationsController } from './audit/authentications/authentications.controller';
import { ListAuthenticationsHandler } from './audit/authentications/list-authentications.handler';
import { CountAuthenticationsHandler } from './audit/authentications/count-authentications.handler';
import { EvidenceController } from './audit/evidence/evidence.controller';
import { GetEvidenceHandler } from './audit/evidence/get-evidence.handler';
import { AccessModule } from './access/access.module';
import { SubjectStreamsModule } from './shared/subject-streams';
import { PolicyModule } from './policy/policy.module';
import { ProjectionsModule } from './projections/projections.module';
import { ConsoleModule } from './console/console.module';
import { WhoamiController } from './access/whoami/whoami.controller';
import { ReviewCasesModule } from './governance/review-cases/review-cases.module';
import { GovernanceModule } from './governance/governance.module';
import { ExceptionRegistryModule } from './governance/exceptions/exception-registry.module';

@Module({})
export class LedgerApiModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    if (config.role === 'projector') return LedgerApiModule.projector(config);
    return {
      module: LedgerApiModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forConfig(config),
        AccessModule.forConfig(config),
        SubjectStreamsModule,
        PolicyModule,
        ProjectionsModule,
        ConsoleModule,
        ReviewCasesModule,
        HealthModule,
        MetricsModule,
        ExceptionRegistryModule,
        GovernanceModule,
      ],
      controllers: [
        RecordEventsController,
        ListSubjectEventsController,
        ListEventTypesController,
        VerifyChainController,
        ExportEventsController,
        CheckpointsController,
        SubjectStateAsOfController,
        SubjectHistoryController,
        WhoamiController,
        AuthenticationsController,
        EvidenceController,
      ],
      providers: [
        RecordEventsHandler,
        ListSubjectEventsHandler,
        VerifyChainHandler,
        CheckpointRecorder,
        SubjectStateAsOfHandler,
        SubjectHistoryHandler,
        ListAuthenticationsHandler,
        CountAuthenticationsHandler,
        GetEvidenceHandler,
      ],
    };
  }

  /**
   * `LEDGER_ROLE=projector`: the one process that writes the read models, and
   * the checkpoint timer, which must also run once. It serves only health and
   * metrics, so it needs no API keys.
   */
  private static projector(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forConfig(config), ReadModelsModule, HealthModule, MetricsModule],
      providers: [CheckpointRecorder],
    };
  }
}
