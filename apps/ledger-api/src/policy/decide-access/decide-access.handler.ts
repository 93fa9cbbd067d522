import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DuplicateEventIdError,
  chainEvents,
  EVENT_STORE,
  EventStore,
  EventStoreUnavailableError,
  expectedRevisionAfter,
  KeyedMutex,
  RecordedEvent,
  StreamStateCache,
  WrongExpectedRevisionError,
} from '@ledger/event-store';
import { AccessDecidedData, decide, SubjectState, subjectStream } from '@ledger/domain';
import { IdempotencyKeyMismatchError, ledgerEventIdFor } from '@ledger/core';
import { assertSameRequest } from '../../shared/idempotency';
import { ledgerEventToAppend } from '@ledger/core';
import { PolicyHistoryStore } from '@ledger/core';
import { DecideAccessCommand, DecisionAnswer } from './decide-access.command';
import { SubjectStreams } from '../../shared/subject-streams';

/** Bounded retries when ingestion appends to the same subject between our read and our write. */
const MAX_APPEND_ATTEMPTS = 8;

function answerOf(subjectId: string, data: AccessDecidedData, stored: RecordedEvent, replayed: boolean): DecisionAnswer {
  const { context: _context, applicationId: _applicationId, channel: _channel, sessionId: _sessionId, ...answer } = data;
  return { subjectId, ...answer, stream: stored.streamId, revision: stored.revision, position: stored.position, replayed };
}

@CommandHandler(DecideAccessCommand)
export class DecideAccessHandler implements ICommandHandler<DecideAccessCommand, DecisionAnswer> {
  private readonly streamLocks: KeyedMutex;
  private readonly subjects: StreamStateCache<SubjectState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly policies: PolicyHistoryStore,
    subjectStreams: SubjectStreams,
  ) {
    this.streamLocks = subjectStreams.locks;
    this.subjects = subjectStreams.states;
  }

  execute(command: DecideAccessCommand): Promise<DecisionAnswer> {
    const stream = subjectStream(command.subjectId);
    return this.streamLocks.runExclusive([stream], () => this.decideAndRecord(stream, command));
  }

  private async decideAndRecord(stream: string, command: DecideAccessCommand, attempt = 1): Promise<DecisionAnswer> {
    const { subjectId, request, decisionId, now, context, requestDigest } = command;
    const eventId = ledgerEventIdFor(decisionId);
    const [existing] = await this.store.findInStream(stream, [eventId]);
    if (existing) assertSameRequest(existing, requestDigest);
    if (existing) return answerOf(subjectId, existing.data as unknown as AccessDecidedData, existing, true);

    const [subject, policies] = await Promise.all([this.subjects.load(stream), this.policies.load()]);
    const [decided] = decide({ type: 'DecideSubjectAccess', request, policies: policies.state, now, decisionId }, subject.state);
    const data = decided.data as AccessDecidedData;
    const toAppend = ledgerEventToAppend({
      type: 'assurance.access.decided',
      data,
      cloudEventId: decisionId,
      subject: subjectId,
      time: now,
      recordedAt: now,
      ...context,
    });
    if (requestDigest !== undefined) toAppend.metadata.requestDigest = requestDigest;
    try {
      const result = await this.store.append(stream, chainEvents(stream, subject.tail, [toAppend]), expectedRevisionAfter(subject.tail));
      this.subjects.applyAppended(stream, subject, result);
      return answerOf(subjectId, data, result.events[0], false);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        // Ingestion wrote to this subject meanwhile: decide again on the newer history.
        this.subjects.forget(stream);
        if (attempt >= MAX_APPEND_ATTEMPTS)
          throw new EventStoreUnavailableError(`stream ${stream} is contended; gave up after ${attempt} attempts`, error);
        return this.decideAndRecord(stream, command, attempt + 1);
      }
      // The same caller's key was used for a decision on another subject: a different request.
      if (error instanceof DuplicateEventIdError) throw new IdempotencyKeyMismatchError();
      throw error;
    }
  }
}
