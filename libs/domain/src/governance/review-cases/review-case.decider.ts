import { Decider, DomainRuleViolation } from '../../decider';
import { streamName } from '../../event-catalog/stream-names';
import { isReviewCaseEventType, REVIEW_CASE_CATEGORY, ReviewCaseEvent, ReviewCaseOutcome } from './review-case-events';

/** `open` until someone acts; `resolved` until the case occurs again (see `decideReviewCase`). */
export const REVIEW_CASE_STATUSES = ['open', 'acknowledged', 'escalated', 'resolved'] as const;
export type ReviewCaseStatus = (typeof REVIEW_CASE_STATUSES)[number];

export interface ReviewCaseState {
  status: ReviewCaseStatus;
  acknowledgedBy?: string;
  /** The reviewer the case is with: who took it, or else who acknowledged it. Cleared when the case re-opens. */
  assignee?: string;
  escalations: number;
  /** `occurrences`: how many the resolution covered; 1 for one recorded before cases were grouped, which covered its one event. */
  resolution?: { resolvedBy: string; outcome: ReviewCaseOutcome; at: string; occurrences: number };
}

/**
 * `occurrences`: how many occurrences the case has as the reviewer acts on it
 * (the handler reads it from the review queue). Recorded in the event; on a
 * resolved case, more occurrences than the resolution covered mean the case
 * was re-opened.
 */
export type ReviewCaseCommand = (
  | { type: 'AcknowledgeCase'; caseId: string; by: string; note?: string; at: string; occurrences?: number }
  | { type: 'ResolveCase'; caseId: string; by: string; outcome: ReviewCaseOutcome; note: string; at: string; occurrences?: number }
  | { type: 'EscalateCase'; caseId: string; by: string; reason: string; at: string; occurrences?: number }
  | { type: 'TakeCase'; caseId: string; by: string; at: string; occurrences?: number }
) & {
  /** A bulk action acts on each case with its own command, all carrying the batch's id: the rules are the single action's. */
  batchId?: string;
};

export type ReviewCaseRuleViolationCode =
  'case-already-resolved' | 'case-already-acknowledged' | 'case-already-escalated' | 'case-already-assigned';

export class ReviewCaseRuleViolation extends DomainRuleViolation<ReviewCaseRuleViolationCode> {}

export function reviewCaseStream(caseId: string): string {
  return streamName(REVIEW_CASE_CATEGORY, caseId);
}

export function initialReviewCaseState(): ReviewCaseState {
  return { status: 'open', escalations: 0 };
}

/**
 * Rules: a resolved case takes no further action (resolving it again would
 * record two outcomes) until it is re-opened. Acknowledging says "I am on it":
 * it is refused on a case already acknowledged, and on an escalated one, where
 * it would hide the escalation from the queue; whoever took over an escalation
 * resolves it, or escalates it further.
 *
 * Taking a case makes the taker its assignee; a reviewer may take over a case
 * another holds (teams reassign work; the event names whom it was taken
 * from), but taking one's own case again is refused, so a double click records
 * nothing twice. Acknowledging an unassigned case assigns it to the
 * acknowledger: "I am on it" is what taking says too.
 *
 * Re-opening: the case is opened and re-opened by the projection, from the
 * subject's events, which this stream does not hold. The command says how many
 * occurrences the case has now; when that is more than the resolution covered,
 * the case has occurred again since, and the command is decided as on a case
 * nobody has acted on yet (a new round: the earlier acknowledgement no longer
 * holds). The case stream stays one history across rounds.
 */
export function decideReviewCase(command: ReviewCaseCommand, current: ReviewCaseState): ReviewCaseEvent[] {
  const reopened = current.status === 'resolved' && (command.occurrences ?? 0) > (current.resolution?.occurrences ?? Infinity);
  const state = reopened ? { ...initialReviewCaseState(), escalations: current.escalations } : current;
  const occurrences = {
    ...(command.occurrences !== undefined && { occurrences: command.occurrences }),
    ...(command.batchId !== undefined && { batchId: command.batchId }),
  };
  if (state.status === 'resolved') {
    const { resolution } = state;
    throw new ReviewCaseRuleViolation(
      'case-already-resolved',
      `case ${command.caseId} was already resolved as ${resolution?.outcome} by ${resolution?.resolvedBy} at ${resolution?.at}; no further action is recorded`,
    );
  }
  switch (command.type) {
    case 'AcknowledgeCase': {
      if (state.status === 'acknowledged') {
        throw new ReviewCaseRuleViolation(
          'case-already-acknowledged',
          `case ${command.caseId} is already acknowledged by ${state.acknowledgedBy}`,
        );
      }
      if (state.status === 'escalated') {
        throw new ReviewCaseRuleViolation(
          'case-already-escalated',
          `case ${command.caseId} is escalated; resolve it or escalate it further`,
        );
      }
      const { caseId, by, note, at } = command;
      return [
        {
          type: 'assurance.review.acknowledged',
          data: { caseId, acknowledgedBy: by, ...(note !== undefined && { note }), at, ...occurrences },
        },
      ];
    }
    case 'ResolveCase': {
      const { caseId, by, outcome, note, at } = command;
      return [{ type: 'assurance.review.resolved', data: { caseId, resolvedBy: by, outcome, note, at, ...occurrences } }];
    }
    case 'EscalateCase': {
      const { caseId, by, reason, at } = command;
      return [{ type: 'assurance.review.escalated', data: { caseId, escalatedBy: by, reason, at, ...occurrences } }];
    }
    case 'TakeCase': {
      const { caseId, by, at } = command;
      if (state.assignee === by) {
        throw new ReviewCaseRuleViolation('case-already-assigned', `case ${caseId} is already assigned to ${by}`);
      }
      return [
        {
          type: 'assurance.review.assigned',
          data: { caseId, assignee: by, ...(state.assignee !== undefined && { previousAssignee: state.assignee }), at, ...occurrences },
        },
      ];
    }
  }
}

export function evolveReviewCase(state: ReviewCaseState, event: ReviewCaseEvent): ReviewCaseState {
  // Any action but a resolution on a resolved case starts a new round (the decider allowed it because the case
  // re-opened): open again, and nobody's until someone takes or acknowledges it.
  const current =
    state.status === 'resolved' && event.type !== 'assurance.review.resolved' && isReviewCaseEventType(event.type)
      ? { ...state, status: 'open' as const, assignee: undefined, resolution: undefined }
      : state;
  switch (event.type) {
    case 'assurance.review.acknowledged': {
      const { acknowledgedBy } = event.data;
      return { ...current, status: 'acknowledged', acknowledgedBy, assignee: current.assignee ?? acknowledgedBy };
    }
    case 'assurance.review.escalated':
      return { ...current, status: 'escalated', escalations: current.escalations + 1 };
    case 'assurance.review.assigned':
      return { ...current, assignee: event.data.assignee };
    case 'assurance.review.resolved': {
      const { resolvedBy, outcome, at, occurrences } = event.data;
      return { ...state, status: 'resolved', resolution: { resolvedBy, outcome, at, occurrences: occurrences ?? 1 } };
    }
    default:
      // A type this code does not know is history it cannot interpret; it changes nothing.
      return state;
  }
}

export const reviewCaseDecider: Decider<ReviewCaseState, ReviewCaseCommand, ReviewCaseEvent> = {
  decide: decideReviewCase,
  evolve: evolveReviewCase,
  initialState: initialReviewCaseState,
};
