import { Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPath, EVENT_STORE, EventStore } from '@ledger/event-store';
import {
  decideReviewCase,
  evolveReviewCase,
  initialReviewCaseState,
  isReviewCaseEvent,
  ReviewCaseState,
  reviewCaseStream,
  evolveRecorded,
} from '@ledger/domain';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { LedgerConflictError, ledgerEventToAppend, NotFoundError, WriteContext } from '@ledger/core';
import { ActOnReviewCaseCommand, ReviewCaseAction, ReviewCaseActionResult } from './act-on-review-case.command';

const evolveRecordedCaseEvent = evolveRecorded(isReviewCaseEvent, evolveReviewCase);

/** Who acted, when no key name is known: never the case in the API, where every route needs a key. */
const UNNAMED_REVIEWER = 'unnamed';

@CommandHandler(ActOnReviewCaseCommand)
export class ActOnReviewCaseHandler implements ICommandHandler<ActOnReviewCaseCommand, ReviewCaseActionResult> {
  private readonly cases: CommandPath<ReviewCaseState>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {
    // Not queued: two reviewers acting at once must learn of each other (409), not have the second
    // action decided on the first one's outcome.
    this.cases = new CommandPath(store, {
      initialState: initialReviewCaseState,
      evolve: evolveRecordedCaseEvent,
      maxStreams: 1000,
      queue: false,
    });
  }

  /**
   * Optimistic: the case stream is read, the action decided and appended at
   * the revision it was decided on. Of two reviewers acting at once, the
   * second append finds the stream moved and is answered 409, so a case
   * never records two outcomes, in one process or across several.
   */
  async execute({ caseId, action, context }: ActOnReviewCaseCommand): Promise<ReviewCaseActionResult> {
    return this.actOn(caseId, action, context);
  }

  /** One action on one case; a bulk action calls this for each of its cases with the batch's id. */
  async actOn(caseId: string, action: ReviewCaseAction, context: WriteContext, batchId?: string): Promise<ReviewCaseActionResult> {
    const { position, value: item } = await this.readModels.getReviewItem(caseId);
    if (!item) throw new NotFoundError(`review case ${caseId} is not in the review queue at position ${position}`);
    const stream = reviewCaseStream(caseId);
    const at = new Date().toISOString();
    const { before, appended } = await this.cases.handle(
      stream,
      (loaded) => ({
        result: undefined,
        // The occurrences the queue shows are what the reviewer acts on: a resolution covers them, and a
        // case that occurred again after its resolution can be acted on again (see decideReviewCase).
        events: decideReviewCase(
          {
            ...action,
            caseId,
            by: context.writtenBy ?? UNNAMED_REVIEWER,
            at,
            occurrences: item.occurrences,
            ...(batchId !== undefined && { batchId }),
          },
          loaded.state,
        ).map((event, index) =>
          ledgerEventToAppend({
            type: event.type,
            data: event.data,
            cloudEventId: `${stream}#${loaded.tail.revision + 1 + index}`,
            // Unique per request: with an id derived from the revision alone, a competing action decided on the
            // same revision would look like a retry of the winner to the store, and be answered with its result.
            idKey: `${stream}#${loaded.tail.revision + 1 + index}#${randomUUID()}`,
            subject: item.subjectId,
            time: at,
            recordedAt: at,
            ...context,
          }),
        ),
      }),
      {
        maxAttempts: 1,
        duplicateIdIsConflict: true,
        onConflict: () =>
          new LedgerConflictError(
            'concurrent-case-action',
            `another action on case ${caseId} was recorded at the same time; reload the case and decide again`,
            [{ caseId }],
          ),
      },
    );
    const after = appended.reduce(evolveRecordedCaseEvent, before.state);
    const last = appended[appended.length - 1];
    return {
      caseId,
      status: after.status,
      assignee: after.assignee ?? null,
      stream,
      revision: last.revision,
      position: last.position,
      hash: String(last.metadata.hash),
    };
  }
}
