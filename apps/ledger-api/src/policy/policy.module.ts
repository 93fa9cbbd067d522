import { Module } from '@nestjs/common';
import { DecideAccessController } from './decide-access/decide-access.controller';
import { DecideAccessHandler } from './decide-access/decide-access.handler';
import { GetPolicyController } from './get-policy/get-policy.controller';
import { GetPolicyHandler } from './get-policy/get-policy.handler';
import { PolicyHistoryStore } from './policy-history.store';
import { PublishPolicyController } from './publish-policy/publish-policy.controller';
import { PublishPolicyHandler } from './publish-policy/publish-policy.handler';
import { SubjectStreamsModule } from '../shared/subject-streams';

/**
 * The assurance policy: publishing, reading, verdicts and step-up decisions.
 * Exports the policy history so that ingestion judges authentications by it.
 */
@Module({
  imports: [SubjectStreamsModule],
  controllers: [PublishPolicyController, GetPolicyController, DecideAccessController],
  providers: [PolicyHistoryStore, PublishPolicyHandler, GetPolicyHandler, DecideAccessHandler],
  exports: [PolicyHistoryStore],
})
export class PolicyModule {}
