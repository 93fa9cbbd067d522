import { Channel } from '../event-catalog';
import { REVIEW_CASE_STATUSES, ReviewCaseStatus } from '../governance/review-cases/review-case.decider';
import { ReviewCaseOutcome } from '../governance/review-cases/review-case-events';
import { AccessDecidedData, AuthenticationEvaluatedData } from '../ledger-events';
import { SubjectState } from '../subject';
import { activeAuthenticators } from './subject-summary';

/** Kinds raised by governance rules (issue 5); an event can raise several of them, so their ids carry the kind. */
export const GOVERNANCE_CASE_KINDS = [
  'assisted-recovery',
  'recovery-weaker-than-primary',
  'hidden-password-dependence',
  'enrollment-below-required-assurance',
] as const;

export const REVIEW_ITEM_KINDS = [
  'fallback',
  'policy-violation',
  'denied-without-enrolled-method',
  'recovery',
  'breakglass',
  ...GOVERNANCE_CASE_KINDS,
] as const;
export type ReviewItemKind = (typeof REVIEW_ITEM_KINDS)[number];

/** The projection opens items; reviewers' actions (events in the case's own stream) move them on. */
export const REVIEW_ITEM_STATUSES = REVIEW_CASE_STATUSES;
export type ReviewItemStatus = ReviewCaseStatus;
/** Every status but `resolved`: work someone still has to finish. */
export const UNRESOLVED_REVIEW_STATUSES: readonly ReviewItemStatus[] = ['open', 'acknowledged', 'escalated'];

/** One reviewer action on an item, as its case stream recorded it. */
export interface ReviewCaseActionRecord {
  action: 'acknowledged' | 'escalated' | 'resolved';
  by: string;
  at: string;
  note?: string;
  reason?: string;
  outcome?: ReviewCaseOutcome;
  /** Global position of the action event. */
  position: number;
}

/** The event a review item was raised from, so a reviewer can read it in its stream. */
export interface SourceEventLink {
  stream: string;
  revision: number;
  position: number;
}

export interface ReviewItem {
  /** `<stream>@<revision>`: one event raises at most one item, and a replay raises the same one. */
  itemId: string;
  kind: ReviewItemKind;
  status: ReviewItemStatus;
  subjectId: string;
  applicationId: string | null;
  channel: Channel | null;
  occurredAt: string;
  source: SourceEventLink;
  detail: Record<string, unknown>;
  /** Oldest first; empty while the item is open. */
  actions: ReviewCaseActionRecord[];
}

/**
 * `<stream>@<revision>` for the kinds one event raises alone; an event can
 * raise several governance cases (a help-desk recovery can be assisted,
 * weaker than the primary and knowledge-based at once), so those add
 * `:<kind>`. Both are deterministic, so a replay raises the same ids.
 */
export function reviewItemId(stream: string, revision: number, kind?: ReviewItemKind): string {
  const base = `${stream}@${revision}`;
  return kind === undefined || !(GOVERNANCE_CASE_KINDS as readonly string[]).includes(kind) ? base : `${base}:${kind}`;
}

/** Ledger events reach the projections as stored JSON; only the fields read here are trusted. */
export type AccessDecisionFacts = Pick<
  AccessDecidedData,
  'decisionId' | 'applicationId' | 'channel' | 'decision' | 'requiredAal' | 'acceptableMethods' | 'reasons' | 'policyVersion'
>;
export type AuthenticationVerdict = Pick<
  AuthenticationEvaluatedData,
  | 'authentication'
  | 'applicationId'
  | 'channel'
  | 'sessionId'
  | 'requiredAal'
  | 'achievedAal'
  | 'phishingResistant'
  | 'verdict'
  | 'reasons'
  | 'policyVersion'
  | 'restricted'
  | 'restrictedReason'
>;

/** The reason the policy engine gives when no enrolled method can reach the required AAL. */
export const NO_ENROLLED_METHOD_MEETS_AAL = 'no-enrolled-method-meets-aal';

/**
 * A denial is a help-desk matter, not a user error, when nothing the subject
 * has enrolled could have satisfied it. The policy engine decides that and
 * says so in its reasons; a subject with no active authenticator at all is
 * the same case.
 */
export function isDeniedForLackOfEnrolledMethod(decision: AccessDecisionFacts, stateBefore: SubjectState): boolean {
  if (decision.decision !== 'deny') return false;
  return decision.reasons.some((reason) => reason.rule === NO_ENROLLED_METHOD_MEETS_AAL) || activeAuthenticators(stateBefore).length === 0;
}
