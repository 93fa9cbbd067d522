import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { CommandPath, EVENT_STORE, EventStore, EventToAppend, RecordedEvent, StreamTail } from '@ledger/event-store';
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
  isExceptionEvent,
  evolveRecorded,
} from '@ledger/domain';
import { LedgerConflictError, NotFoundError } from '@ledger/core';
import { ledgerEventToAppend } from '@ledger/core';
import type { WriteContext } from '@ledger/core';

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

const evolveRecordedException = evolveRecorded(isExceptionEvent, evolveException);

/**
 * Reads and writes one exception's stream. Every write is appended at the
 * revision the decision was taken on, so of two reviewers acting at once
 * exactly one succeeds and the other gets 409, in one process or several.
 */
@Injectable()
export class ExceptionStreams {
  private readonly path: CommandPath<ExceptionState>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    // Not queued: of two reviewers deciding at once, the second must hear of the first (409).
    this.path = new CommandPath(store, {
      initialState: initialExceptionState,
      evolve: evolveRecordedException,
      maxStreams: 1000,
      queue: false,
    });
  }

  load(exceptionId: string): Promise<LoadedException> {
    return this.path.load(exceptionStream(exceptionId));
  }

  /** The first events of the exception's stream. */
  events(exceptionId: string, maxCount: number): Promise<RecordedEvent[]> {
    return this.store.readStream(exceptionStream(exceptionId), { maxCount });
  }

  /** Decides on the stored history and appends the outcome at the revision it was decided on. */
  async execute(exceptionId: string, command: ExceptionCommand, context: WriteContext): Promise<RecordedEvent[]> {
    const stream = exceptionStream(exceptionId);
    const { appended } = await this.path.handle(
      stream,
      (loaded) => ({
        result: undefined,
        events: explained(() => decideException(command, loaded.state)).map((event) => toAppend(stream, event, context)),
      }),
      {
        maxAttempts: 1,
        onConflict: () =>
          new LedgerConflictError(
            'concurrent-update',
            `exception ${exceptionId} was changed by someone else at the same time; reload it and decide again`,
            [{ exceptionId }],
          ),
      },
    );
    return appended;
  }
}

function toAppend(stream: string, event: ExceptionEvent, context: WriteContext): EventToAppend {
  const cloudEventId = `${stream}#${event.type.slice('assurance.exception.'.length)}`;
  return ledgerEventToAppend({
    type: event.type,
    data: event.data,
    cloudEventId,
    // The store treats a repeated id at the same revision as a retry, so two reviewers must never share one;
    // the expiry, the same whoever writes it, keeps its plain id so that two schedulers write it once.
    ...(event.type !== 'assurance.exception.expired' && {
      idKey: `${cloudEventId}\u0000${context.writtenBy ?? ''}\u0000${context.causationId}`,
    }),
    subject: stream,
    time: event.time!,
    recordedAt: new Date().toISOString(),
    ...context,
  });
}

/** The domain's refusals as HTTP: 400 for a wrong command, 403 for approving your own request, 404 when there is no such exception. */
export function explained<T>(decision: () => T): T {
  try {
    return decision();
  } catch (error) {
    if (error instanceof InvalidExceptionCommand) throw invalidRequest(error);
    if (error instanceof ExceptionRuleViolation) {
      if (error.code === 'approver-is-requester')
        throw new ForbiddenException({ statusCode: 403, error: error.code, message: error.message });
      if (error.code === 'exception-not-found') throw new NotFoundError(error.message);
    }
    throw error;
  }
}
