import { Module } from '@nestjs/common';
import { PolicyHistoryStore } from '@ledger/core';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { DecideAccessController } from './decide-access/decide-access.controller';
import { DecideAccessHandler } from './decide-access/decide-access.handler';
import { GetPolicyController } from './get-policy/get-policy.controller';
import { GetPolicyHandler } from './get-policy/get-policy.handler';
import { PublishPolicyController } from './publish-policy/publish-policy.controller';
import { PublishPolicyHandler } from './publish-policy/publish-policy.handler';
import { SubjectStreamsModule } from '../shared/subject-streams';
import { ExceptionRegistryModule } from '../governance/exceptions/exception-registry.module';

/**
 * The assurance policy: publishing, reading, verdicts and step-up decisions.
 * Exports the policy history so that ingestion judges authentications by it.
 */
@Module({
  // Decisions apply approved exceptions, read from the same registry ingestion judges fallbacks by.
  imports: [SubjectStreamsModule, ExceptionRegistryModule],
  controllers: [PublishPolicyController, GetPolicyController, DecideAccessController],
  providers: [
    { provide: PolicyHistoryStore, useFactory: (store: EventStore) => new PolicyHistoryStore(store), inject: [EVENT_STORE] },
    PublishPolicyHandler,
    GetPolicyHandler,
    DecideAccessHandler,
  ],
  exports: [PolicyHistoryStore],
})
export class PolicyModule {}
