/**
 * What reviewers do with a review case. Each action is a ledger-written event
 * in the case's own stream, `reviewcase-<caseId>`: the case itself is opened
 * by the projections from the subject stream, so the stream starts with the
 * first action and a rebuild opens the same cases again.
 *
 * Since issue 16 a case groups every occurrence of one rule for one subject
 * and application, and each action records `occurrences`, how many the case
 * had when the reviewer acted. That is what lets a re-opened case be acted on
 * again (see `decideReviewCase`). Actions recorded before carry none.
 */
export const REVIEW_CASE_CATEGORY = 'reviewcase';

export const REVIEW_CASE_EVENT_TYPES = {
  acknowledged: 'assurance.review.acknowledged',
  resolved: 'assurance.review.resolved',
  escalated: 'assurance.review.escalated',
  assigned: 'assurance.review.assigned',
} as const;
export type ReviewCaseEventType = (typeof REVIEW_CASE_EVENT_TYPES)[keyof typeof REVIEW_CASE_EVENT_TYPES];

export const REVIEW_CASE_OUTCOMES = ['accepted-risk', 'remediated', 'false-positive'] as const;
export type ReviewCaseOutcome = (typeof REVIEW_CASE_OUTCOMES)[number];

export interface ReviewCaseAcknowledgedData {
  caseId: string;
  acknowledgedBy: string;
  note?: string;
  /** Server time of the action. */
  at: string;
  occurrences?: number;
  /** Set when the action was one of a bulk action: every case it acted on records the same id. */
  batchId?: string;
}

export interface ReviewCaseResolvedData {
  caseId: string;
  resolvedBy: string;
  outcome: ReviewCaseOutcome;
  note: string;
  at: string;
  /** The occurrences this resolution covers: a later one re-opens the case. */
  occurrences?: number;
  batchId?: string;
}

export interface ReviewCaseEscalatedData {
  caseId: string;
  escalatedBy: string;
  reason: string;
  at: string;
  occurrences?: number;
  /** Set when the action was one of a bulk action: every case it acted on records the same id. */
  batchId?: string;
}

/** A reviewer took the case (issue 16): it is theirs to work on until someone else takes it or it is resolved. */
export interface ReviewCaseAssignedData {
  caseId: string;
  /** The key name of the reviewer who took the case: always the caller, never a name from the request body. */
  assignee: string;
  /** Who held it before, when the case was taken over. */
  previousAssignee?: string;
  at: string;
  occurrences?: number;
  batchId?: string;
}

export type ReviewCaseEvent =
  | { type: 'assurance.review.acknowledged'; data: ReviewCaseAcknowledgedData }
  | { type: 'assurance.review.resolved'; data: ReviewCaseResolvedData }
  | { type: 'assurance.review.escalated'; data: ReviewCaseEscalatedData }
  | { type: 'assurance.review.assigned'; data: ReviewCaseAssignedData };

export function isReviewCaseEventType(type: string): type is ReviewCaseEventType {
  return Object.values(REVIEW_CASE_EVENT_TYPES).includes(type as ReviewCaseEventType);
}
