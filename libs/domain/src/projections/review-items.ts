import { Channel } from '../event-catalog';
import { AccessDecidedData, AuthenticationEvaluatedData } from '../ledger-events';
import { SubjectState } from '../subject';
import { activeAuthenticators } from './subject-summary';

export const REVIEW_ITEM_KINDS = [
  'fallback',
  'policy-violation',
  'denied-without-enrolled-method',
  'recovery',
  'breakglass',
] as const;
export type ReviewItemKind = (typeof REVIEW_ITEM_KINDS)[number];

/** Governance adds more statuses (and the actions that reach them); the projection only opens items. */
export const REVIEW_ITEM_STATUSES = ['open'] as const;
export type ReviewItemStatus = (typeof REVIEW_ITEM_STATUSES)[number];

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
}

export function reviewItemId(stream: string, revision: number): string {
  return `${stream}@${revision}`;
}

/** Ledger events reach the projections as stored JSON; only the fields read here are trusted. */
export type AccessDecisionFacts = Pick<AccessDecidedData, 'decisionId' | 'applicationId' | 'channel' | 'decision' | 'requiredAal' | 'acceptableMethods' | 'reasons' | 'policyVersion'>;
export type AuthenticationVerdict = Pick<
  AuthenticationEvaluatedData,
  'authentication' | 'applicationId' | 'channel' | 'requiredAal' | 'achievedAal' | 'phishingResistant' | 'verdict' | 'reasons' | 'policyVersion'
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
