import { Decider, DomainRuleViolation } from '../../decider';
import { streamName } from '../../event-catalog/stream-names';
import { REVIEW_CASE_CATEGORY, ReviewCaseEvent, ReviewCaseOutcome } from './review-case-events';

/** `open` until someone acts; `resolved` is final. */
export const REVIEW_CASE_STATUSES = ['open', 'acknowledged', 'escalated', 'resolved'] as const;
export type ReviewCaseStatus = (typeof REVIEW_CASE_STATUSES)[number];

export interface ReviewCaseState {
  status: ReviewCaseStatus;
  acknowledgedBy?: string;
  escalations: number;
  resolution?: { resolvedBy: string; outcome: ReviewCaseOutcome; at: string };
}

export type ReviewCaseCommand =
  | { type: 'AcknowledgeCase'; caseId: string; by: string; note?: string; at: string }
  | { type: 'ResolveCase'; caseId: string; by: string; outcome: ReviewCaseOutcome; note: string; at: string }
  | { type: 'EscalateCase'; caseId: string; by: string; reason: string; at: string };

export type ReviewCaseRuleViolationCode = 'case-already-resolved' | 'case-already-acknowledged' | 'case-already-escalated';

export class ReviewCaseRuleViolation extends DomainRuleViolation<ReviewCaseRuleViolationCode> {}

export function reviewCaseStream(caseId: string): string {
  return streamName(REVIEW_CASE_CATEGORY, caseId);
}

export function initialReviewCaseState(): ReviewCaseState {
  return { status: 'open', escalations: 0 };
}

/**
 * Rules: a resolved case takes no further action (resolving it again would
 * record two outcomes). Acknowledging says "I am on it": it is refused on a
 * case already acknowledged, and on an escalated one, where it would hide the
 * escalation from the queue; whoever took over an escalation resolves it, or
 * escalates it further.
 */
export function decideReviewCase(command: ReviewCaseCommand, state: ReviewCaseState): ReviewCaseEvent[] {
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
      return [{ type: 'assurance.review.acknowledged', data: { caseId, acknowledgedBy: by, ...(note !== undefined && { note }), at } }];
    }
    case 'ResolveCase': {
      const { caseId, by, outcome, note, at } = command;
      return [{ type: 'assurance.review.resolved', data: { caseId, resolvedBy: by, outcome, note, at } }];
    }
    case 'EscalateCase': {
      const { caseId, by, reason, at } = command;
      return [{ type: 'assurance.review.escalated', data: { caseId, escalatedBy: by, reason, at } }];
    }
  }
}

export function evolveReviewCase(state: ReviewCaseState, event: ReviewCaseEvent): ReviewCaseState {
  switch (event.type) {
    case 'assurance.review.acknowledged':
      return { ...state, status: 'acknowledged', acknowledgedBy: event.data.acknowledgedBy };
    case 'assurance.review.escalated':
      return { ...state, status: 'escalated', escalations: state.escalations + 1 };
    case 'assurance.review.resolved': {
      const { resolvedBy, outcome, at } = event.data;
      return { ...state, status: 'resolved', resolution: { resolvedBy, outcome, at } };
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
