import { Channel } from '../event-catalog';
import { REVIEW_CASE_STATUSES, ReviewCaseStatus } from '../governance/review-cases/review-case.decider';
import { ReviewCaseOutcome } from '../governance/review-cases/review-case-events';
import type { ReviewSeverity } from '../governance/review-cases/review-severity';
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
  action: 'acknowledged' | 'escalated' | 'resolved' | 'assigned';
  /** Who acted; for `assigned`, the reviewer who took the case. */
  by: string;
  at: string;
  note?: string;
  reason?: string;
  outcome?: ReviewCaseOutcome;
  /** For `assigned`: who held the case before it was taken over. */
  previousAssignee?: string;
  /** Occurrences of the case the reviewer acted on; absent on actions recorded before cases were grouped. */
  occurrences?: number;
  /** The bulk action this was one of. */
  batchId?: string;
  /** Global position of the action event. */
  position: number;
}

/** The event a review item was raised from, so a reviewer can read it in its stream. */
export interface SourceEventLink {
  stream: string;
  revision: number;
  position: number;
}

/**
 * One review case: every occurrence of one rule for one subject and one
 * application (issue 16). The first occurrence opens it, later ones add to it;
 * a resolved case that occurs again is re-opened, its history kept.
 */
export interface ReviewItem {
  /** `reviewCaseId(subjectId, kind, applicationId)`: deterministic, so a rebuild opens the same cases. */
  itemId: string;
  kind: ReviewItemKind;
  status: ReviewItemStatus;
  /** The reviewer who took the case, or acknowledged it untaken; null while nobody holds it, and again once it re-opens. */
  assignee: string | null;
  subjectId: string;
  applicationId: string | null;
  /** The channel of the latest occurrence. */
  channel: Channel | null;
  /** When the case was opened, or re-opened after a resolution: what its age and SLA run from. */
  occurredAt: string;
  /** As severe as the most severe occurrence since the case was opened or re-opened (`reviewSeverityOf`). */
  severity: ReviewSeverity;
  /** Every occurrence since the first, the resolved rounds included. */
  occurrences: number;
  firstOccurredAt: string;
  lastOccurredAt: string;
  /** The latest occurrence's event. */
  source: SourceEventLink;
  /** The events behind the latest occurrences, oldest first, at most `RECENT_OCCURRENCE_LIMIT`; `occurrences` counts them all. */
  sources: SourceEventLink[];
  /** What the rule found at the latest occurrence. */
  detail: Record<string, unknown>;
  /** Oldest first; empty until a reviewer acts. */
  actions: ReviewCaseActionRecord[];
}

/** One event breaking one rule: what the subject projection finds before it is grouped into a case. */
export interface ReviewOccurrence {
  kind: ReviewItemKind;
  subjectId: string;
  applicationId: string | null;
  channel: Channel | null;
  occurredAt: string;
  source: SourceEventLink;
  detail: Record<string, unknown>;
}

/**
 * `<subjectId>~<kind>` and, for a rule broken in an application, `~<applicationId>`.
 * A subject id cannot hold `~` (see the subject id alphabet), so the subject is
 * everything before the first one.
 */
export function reviewCaseId(subjectId: string, kind: ReviewItemKind, applicationId: string | null): string {
  return applicationId === null ? `${subjectId}~${kind}` : `${subjectId}~${kind}~${applicationId}`;
}

/** The subject of a case id, or of a per-event item id from before cases were grouped (`subject-<id>@<revision>[:<kind>]`). */
export function subjectIdOfReviewCase(caseId: string): string | undefined {
  const separator = caseId.indexOf('~');
  if (separator > 0) return caseId.slice(0, separator);
  return parseLegacyReviewItemId(caseId)?.subjectId;
}

/** The parts of a per-event item id, `subject-<id>@<revision>[:<kind>]`, which case streams were named after before issue 16. */
export function parseLegacyReviewItemId(
  itemId: string,
): { subjectId: string; stream: string; revision: number; kind?: ReviewItemKind } | undefined {
  const match = /^(subject-(.+))@(\d+)(?::([a-z-]+))?$/.exec(itemId);
  if (!match || itemId.includes('~')) return undefined;
  const kind = match[4] as ReviewItemKind | undefined;
  if (kind !== undefined && !(REVIEW_ITEM_KINDS as readonly string[]).includes(kind)) return undefined;
  return { subjectId: match[2], stream: match[1], revision: Number(match[3]), ...(kind !== undefined && { kind }) };
}

/**
 * The per-event id items had before cases were grouped: `<stream>@<revision>`
 * for the kinds one event raises alone, with `:<kind>` for the governance
 * kinds, several of which one event can raise. Case streams of that time are
 * named after it; `reviewCaseOfLegacyItem` maps them onto grouped cases.
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
