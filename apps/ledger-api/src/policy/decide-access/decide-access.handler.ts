import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPath, DuplicateEventIdError, EVENT_STORE, EventStore, RecordedEvent } from '@ledger/event-store';
import { AccessDecidedData, decide, exceptionsRelevantTo, SubjectState, subjectStream } from '@ledger/domain';
import { ExceptionRegistry, IdempotencyKeyMismatchError, ledgerEventIdFor, ledgerEventToAppend, PolicyHistoryStore } from '@ledger/core';
import { assertSameRequest } from '../../shared/idempotency';
import { DecideAccessCommand, DecisionAnswer } from './decide-access.command';
import { SubjectStreams } from '../../shared/subject-streams';

function answerOf(subjectId: string, data: AccessDecidedData, stored: RecordedEvent, replayed: boolean): DecisionAnswer {
  const { context: _context, applicationId: _applicationId, channel: _channel, sessionId: _sessionId, ...answer } = data;
  return { subjectId, ...answer, stream: stored.streamId, revision: stored.revision, position: stored.position, replayed };
}

/** A decision already recorded under this id is answered as recorded; otherwise it is decided and recorded. */
type Outcome = { replayed: RecordedEvent } | { decided: AccessDecidedData };

@CommandHandler(DecideAccessCommand)
export class DecideAccessHandler implements ICommandHandler<DecideAccessCommand, DecisionAnswer> {
  private readonly subjects: CommandPath<SubjectState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly policies: PolicyHistoryStore,
    subjectStreams: SubjectStreams,
    private readonly exceptionRegistry: ExceptionRegistry,
  ) {
    this.subjects = subjectStreams.commands;
  }

  async execute(command: DecideAccessCommand): Promise<DecisionAnswer> {
    const { subjectId, request, decisionId, now, context, requestDigest } = command;
    const eventId = ledgerEventIdFor(decisionId);
    const { result, appended } = await this.subjects
      .handle<Outcome>(subjectStream(subjectId), async (subject, stream) => {
        const [existing] = await this.store.findInStream(stream, [eventId]);
        if (existing) {
          // A replay must be the same request: an idempotency key is scoped to its caller and its body.
          assertSameRequest(existing, requestDigest);
          return { events: [], result: { replayed: existing } };
        }
        const policies = await this.policies.load();
        // Read from the store on every attempt: a revocation acknowledged before this request, by any process, takes effect.
        const { catalog } = await this.exceptionRegistry.current();
        const exceptions = { subjectId, candidates: exceptionsRelevantTo(catalog, subjectId) };
        const [decided] = decide(
          { type: 'DecideSubjectAccess', request, policies: policies.state, now, decisionId, exceptions },
          subject.state,
        );
        const data = decided.data as AccessDecidedData;
        const event = ledgerEventToAppend({
          type: 'assurance.access.decided',
          data,
          cloudEventId: decisionId,
          subject: subjectId,
          time: now,
          recordedAt: now,
          ...context,
        });
        if (requestDigest !== undefined) event.metadata.requestDigest = requestDigest;
        return { events: [event], result: { decided: data } };
      })
      .catch((error: unknown) => {
        // The same caller's key was used for a decision on another subject: a different request.
        if (error instanceof DuplicateEventIdError) throw new IdempotencyKeyMismatchError();
        throw error;
      });
    return 'replayed' in result
      ? answerOf(subjectId, result.replayed.data as unknown as AccessDecidedData, result.replayed, true)
      : answerOf(subjectId, result.decided, appended[0], false);
  }
}
