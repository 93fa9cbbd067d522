import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InvalidPolicyError } from '@ledger/domain';
import { policyIssues, PolicyHistoryStore, PublishedPolicy } from '@ledger/core';
import { InvalidRequestError } from '../../shared/invalid-request';
import { PublishPolicyCommand } from './publish-policy.command';

@CommandHandler(PublishPolicyCommand)
export class PublishPolicyHandler implements ICommandHandler<PublishPolicyCommand, PublishedPolicy> {
  constructor(private readonly policies: PolicyHistoryStore) {}

  async execute({
    document,
    expectedVersion,
    publishedBy,
    acknowledgedDeviations,
    context,
  }: PublishPolicyCommand): Promise<PublishedPolicy> {
    try {
      return await this.policies.publish({ document, expectedVersion, publishedBy, acknowledgedDeviations }, context);
    } catch (error) {
      // An invalid document is the author's to fix: 400 naming each field inside the request body.
      if (error instanceof InvalidPolicyError) throw new InvalidRequestError('invalid-policy', error.message, policyIssues(error));
      throw error;
    }
  }
}
