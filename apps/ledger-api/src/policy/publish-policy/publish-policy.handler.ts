import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { chainEvents, EVENT_STORE, EventStore, expectedRevisionAfter, WrongExpectedRevisionError } from '@ledger/event-store';
import { decidePolicyPublication, InvalidPolicyError, PolicyPublishedEvent, PolicyVersionConflict } from '@ledger/domain';
import { InvalidRequestError } from '../../shared/invalid-request';
import { ledgerEventToAppend } from '../../shared/ledger-written-event';
import { PolicyHistoryStore } from '../policy-history.store';
import { PublishedPolicy, PublishPolicyCommand } from './publish-policy.command';

/** An invalid document is the author's to fix: 400 naming each field inside the request body. */
function decideOrExplain(decision: () => PolicyPublishedEvent[]): PolicyPublishedEvent[] {
  try {
    return decision();
  } catch (error) {
    if (error instanceof InvalidPolicyError) {
      throw new InvalidRequestError(
        'invalid-policy',
        error.message,
        error.issues.map(({ field, reason }) => ({ field: field === '(document)' ? 'policy' : `policy.${field}`, reason })),
      );
    }
    throw error;
  }
}

@CommandHandler(PublishPolicyCommand)
export class PublishPolicyHandler implements ICommandHandler<PublishPolicyCommand, PublishedPolicy> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly policies: PolicyHistoryStore,
  ) {}

  execute(command: PublishPolicyCommand): Promise<PublishedPolicy> {
    return this.policies.publishExclusively(() => this.publish(command, new Date().toISOString()));
  }

  /** `publishedAt` is the server clock, taken under the publication lock: the new version is in force from it. */
  private async publish({ document, expectedVersion, publishedBy, context }: PublishPolicyCommand, publishedAt: string): Promise<PublishedPolicy> {
    const loaded = await this.policies.load();
    const [decided] = decideOrExplain(() =>
      decidePolicyPublication({ type: 'PublishPolicy', document, expectedVersion, publishedAt, publishedBy }, loaded.state),
    );
    const { version } = decided.data;
    const toAppend = ledgerEventToAppend({
      type: 'assurance.policy.published',
      data: decided.data,
      cloudEventId: `${this.policies.stream}#v${version}`,
      subject: this.policies.stream,
      time: publishedAt,
      recordedAt: publishedAt,
      ...context,
    });
    try {
      const result = await this.store.append(this.policies.stream, chainEvents(this.policies.stream, loaded.tail, [toAppend]), expectedRevisionAfter(loaded.tail));
      this.policies.applyAppended(loaded, result);
      const [stored] = result.events;
      return { version, effectiveFrom: publishedAt, stream: stored.streamId, revision: stored.revision, position: stored.position, hash: String(stored.metadata.hash) };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        // Another process published first; its version is the one the author must now edit from.
        this.policies.forget();
        throw new PolicyVersionConflict('policy-version-conflict', `version ${version} was published concurrently; reload the policy and edit again`);
      }
      throw error;
    }
  }
}
