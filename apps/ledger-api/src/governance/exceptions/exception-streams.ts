import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import {
  chainEvents,
  EMPTY_STREAM_TAIL,
  EVENT_STORE,
  EventStore,
  expectedRevisionAfter,
  readStreamPaged,
  RecordedEvent,
  StreamNotFoundError,
  StreamTail,
  WrongExpectedRevisionError,
} from '@ledger/event-store';
import {
  decideException,
  evolveException,
  ExceptionCommand,
  ExceptionEvent,
  ExceptionRuleViolation,
  ExceptionState,
  exceptionStream,
  initialExceptionState,
  InvalidExceptionCommand,
  upcastStoredEvent,
} from '@ledger/domain';
import { LedgerConflictError, NotFoundError } from '../../shared/api-errors';
import { ledgerEventToAppend } from '../../shared/ledger-written-event';
import type { WriteContext } from '../../ingestion/record-events/record-events.command';

export interface LoadedException {
  state: ExceptionState;
  tail: StreamTail;
}

/** 400 naming the field; for an expiry past the maximum, the maximum too. */
function invalidRequest(error: InvalidExceptionCommand): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'invalid-request',
    message: error.message,
    errors: [{ field: error.field, reason: error.reason }],
    ...(error.limit && { maxDurationSeconds: error.limit.maxDurationSeconds, latestExpiresAt: error.limit.latestExpiresAt }),
  });
}

/**
 * Reads and writes one exception's stream. Every write is appended at the
 * revision the decision was taken on, so of two reviewers acting at once
 * exactly one succeeds and the other gets 409, in one process or several.
 */
@Injectable()
export class ExceptionStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(exceptionId: string): Promise<LoadedException> {
    let state = initialExceptionState();
    let tail = EMPTY_STREAM_TAIL;
    try {
      for await (const recorded of readStreamPaged(this.store, exceptionStream(exceptionId))) {
        const { data } = upcastStoredEvent(recorded.type, Number(recorded.metadata.schemaVersion ?? 1), recorded.data);
        state = evolveException(state, { type: recorded.type, data } as ExceptionEvent);
        tail = { revision: recorded.revision, lastHash: String(recorded.metadata.hash) };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { state, tail };
  }

  /** The first events of the exception's stream. */
  events(exceptionId: string, maxCount: number): Promise<RecordedEvent[]> {
    return this.store.readStream(exceptionStream(exceptionId), { maxCount });
  }

  /** Decides on the stored history and appends the outcome at the revision it was decided on. */
  async execute(exceptionId: string, command: ExceptionCommand, context: WriteContext): Promise<RecordedEvent[]> {
    const loaded = await this.load(exceptionId);
    const events = explained(() => decideException(command, loaded.state));
    return this.append(exceptionId, loaded, events, context);
  }

  private async append(exceptionId: string, loaded: LoadedException, events: ExceptionEvent[], context: WriteContext): Promise<RecordedEvent[]> {
    const stream = exceptionStream(exceptionId);
    const toAppend = events.map((event) => {
      const cloudEventId = `${stream}#${event.type.slice('assurance.exception.'.length)}`;
      return ledgerEventToAppend({
        type: event.type,
        data: event.data,
        cloudEventId,
        // The store treats a repeated id at the same revision as a retry, so two reviewers must never share one;
        // the expiry, the same whoever writes it, keeps its plain id so that two schedulers write it once.
        ...(event.type !== 'assurance.exception.expired' && { idKey: `${cloudEventId}\u0000${context.writtenBy ?? ''}\u0000${context.causationId}` }),
        subject: stream,
        time: event.time!,
        recordedAt: new Date().toISOString(),
        ...context,
      });
    });
    try {
      const result = await this.store.append(stream, chainEvents(stream, loaded.tail, toAppend), expectedRevisionAfter(loaded.tail));
      return result.events;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new LedgerConflictError('concurrent-update', `exception ${exceptionId} was changed by someone else at the same time; reload it and decide again`, [
          { exceptionId },
        ]);
      }
      throw error;
    }
  }
}

/** The domain's refusals as HTTP: 400 for a wrong command, 403 for approving your own request, 404 when there is no such exception. */
export function explained<T>(decision: () => T): T {
  try {
    return decision();
  } catch (error) {
    if (error instanceof InvalidExceptionCommand) throw invalidRequest(error);
    if (error instanceof ExceptionRuleViolation) {
      if (error.code === 'approver-is-requester') throw new ForbiddenException({ statusCode: 403, error: error.code, message: error.message });
      if (error.code === 'exception-not-found') throw new NotFoundError(error.message);
    }
    throw error;
  }
}
