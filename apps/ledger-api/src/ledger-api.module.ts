import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LedgerConfig } from './config/ledger-config';
import { EventStoreModule } from './infrastructure/event-store.module';
import { HealthController } from './health/health.controller';
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
import { AccessModule } from './access/access.module';
import { SubjectStreamsModule } from './shared/subject-streams';
import { PolicyModule } from './policy/policy.module';
import { ProjectionsModule } from './projections/projections.module';
import { GovernanceModule } from './governance/governance.module';
import { ExceptionRegistryModule } from './governance/exceptions/exception-registry';

@Module({})
export class LedgerApiModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forConfig(config), AccessModule.forConfig(config), SubjectStreamsModule, PolicyModule, ProjectionsModule, ExceptionRegistryModule, GovernanceModule],
      controllers: [
        HealthController,
        RecordEventsController,
        ListSubjectEventsController,
        ListEventTypesController,
        VerifyChainController,
        ExportEventsController,
        CheckpointsController,
        SubjectStateAsOfController,
        SubjectHistoryController,
      ],
      providers: [RecordEventsHandler, ListSubjectEventsHandler, VerifyChainHandler, CheckpointRecorder, SubjectStateAsOfHandler, SubjectHistoryHandler],
    };
  }
}
