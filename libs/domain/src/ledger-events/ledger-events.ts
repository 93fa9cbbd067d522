import { Channel } from '../event-catalog/vocabulary';
import type { AssurancePolicy } from '../policy/policy-document';
import { REVIEW_CASE_EVENT_TYPES } from '../governance/review-cases/review-case-events';

/**
 * Events the ledger itself writes. Emitters cannot post these: they are
 * not in the ingestion catalog. They share the `assurance.` prefix so that
 * an export reads as one vocabulary.
 */
export const LEDGER_EVENT_TYPES = {
  policyPublished: 'assurance.policy.published',
  authenticationEvaluated: 'assurance.authentication.evaluated',
  accessDecided: 'assurance.access.decided',
  reviewAcknowledged: REVIEW_CASE_EVENT_TYPES.acknowledged,
  reviewResolved: REVIEW_CASE_EVENT_TYPES.resolved,
  reviewEscalated: REVIEW_CASE_EVENT_TYPES.escalated,
  reviewAssigned: REVIEW_CASE_EVENT_TYPES.assigned,
  fallbackEvaluated: 'assurance.fallback.evaluated',
  exceptionRequested: 'assurance.exception.requested',
  exceptionApproved: 'assurance.exception.approved',
  exceptionRejected: 'assurance.exception.rejected',
  exceptionRevoked: 'assurance.exception.revoked',
  exceptionExpired: 'assurance.exception.expired',
} as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[keyof typeof LEDGER_EVENT_TYPES];

/** `metadata.source` of every event the ledger writes; refused as the source of an ingested event. */
export const LEDGER_SOURCE = 'assurance-ledger';

export type AssuranceLevel = 1 | 2 | 3;
/** 0: nothing the subject presented counts toward any AAL. */
export type AchievedAssuranceLevel = 0 | AssuranceLevel;

/** One rule that fired while deciding, in the order it fired. */
export interface RuleFiring {
  rule: string;
  detail: string;
}

/** Stream `policy-<tenant>`; `default` when there is one tenant. */
export interface PolicyPublishedData {
  /** 2 for the first publication: version 1 is the built-in default, never written. */
  version: number;
  /** The whole validated policy document of this version. */
  policy: AssurancePolicy;
  /** Server time of publication; the version is in force from this instant. */
  publishedAt: string;
  publishedBy?: string;
  /**
   * Policy fields set beyond a SHOULD of SP 800-63B-4 (§2.1.3, §2.2.3, §2.3.3)
   * that the publisher acknowledged; a version with an unacknowledged one is refused.
   */
  acknowledgedDeviations?: string[];
}

/**
 * The verdict on one `assurance.authentication.succeeded`, appended right
 * after it in the same subject stream and in the same append.
 */
export interface AuthenticationEvaluatedData {
  /** The evaluated event: its revision in this stream and its CloudEvents identity. */
  authentication: { revision: number; id: string; source: string; time: string };
  applicationId: string;
  channel: Channel;
  sessionId?: string;
  deviceId?: string;
  requiredAal: AssuranceLevel;
  achievedAal: AchievedAssuranceLevel;
  phishingResistant: boolean;
  /** RFC 8176, derived from the enrolled authenticators rather than copied from the emitter. */
  amr: string[];
  acr: string[];
  /**
   * `excepted`: below policy, but inside the scope and window of an approved
   * exception that allows one of the methods counted. It still counts as
   * below policy in the posture.
   */
  verdict: 'compliant' | 'violation' | 'excepted';
  /** Why it is below policy; empty when compliant. */
  reasons: RuleFiring[];
  /** The exception an `excepted` verdict rests on, and when it ends. */
  exception?: ExceptionApplied;
  policyVersion: number;
  decisionPath: RuleFiring[];
  /**
   * The version of the assurance rules that produced this verdict. Absent on
   * verdicts recorded before rules were versioned: those are version 1.
   */
  assuranceRulesVersion?: number;
  /**
   * SP 800-63B-4 §3.2.9: the achieved level rests on a restricted authenticator
   * (SMS or voice). Written by rules version 2 and later.
   */
  restricted?: boolean;
  /** Why the verdict is restricted; present only when `restricted` is true. */
  restrictedReason?: string;
}

export type AccessDecision = 'allow' | 'step-up' | 'deny';

export interface DecisionContext {
  deviceId?: string;
  ipAddress?: string;
  riskLevel?: 'low' | 'medium' | 'high';
  signals: string[];
}

/** A step-up decision answered by `POST /v1/decisions`, kept in the subject stream. */
export interface AccessDecidedData {
  decisionId: string;
  applicationId: string;
  channel: Channel;
  sessionId?: string;
  context: DecisionContext;
  decision: AccessDecision;
  requiredAal: AssuranceLevel;
  currentAal: AchievedAssuranceLevel;
  /** RFC 9470 `acr_values`: strongest first, and only values that meet `requiredAal`. */
  acrValues: string[];
  /** Seconds, as RFC 9470 `max_age`; null when the answer is deny. */
  maxAge: number | null;
  /**
   * The RFC 9470 §3 challenge a resource server sends with 401 when the
   * decision is step-up, ready to copy into `WWW-Authenticate`. Rules version 2 and later.
   */
  wwwAuthenticate?: string | null;
  /** See AuthenticationEvaluatedData.assuranceRulesVersion. */
  assuranceRulesVersion?: number;
  acceptableMethods: string[];
  reasons: RuleFiring[];
  policyVersion: number;
  decidedAt: string;
  /** The limits of the session named in the request, as the policy sets them for its AAL and channel. */
  session?: SessionLimitsApplied;
  /** The approved exception that allowed access below the required AAL, or offered its methods for a step-up. */
  exception?: ExceptionApplied;
}

/** An approved exception named by a verdict or a decision. */
export interface ExceptionApplied {
  exceptionId: string;
  expiresAt: string;
}

export interface SessionLimitsApplied {
  sessionId: string;
  aal: AchievedAssuranceLevel;
  authenticatedAt: string;
  /** The earlier of the policy's lifetime limit and the emitter's own expiresAt. */
  expiresAt: string;
  /** null when the AAL has no idle limit. */
  idleExpiresAt: string | null;
  /** The version in force when the session was authenticated, which sets its limits. */
  policyVersion: number;
}

/** Schema version each ledger event type is written at; there are no older versions yet. */
export const LEDGER_SCHEMA_VERSIONS: Readonly<Record<LedgerEventType, number>> = {
  'assurance.policy.published': 1,
  'assurance.authentication.evaluated': 1,
  'assurance.access.decided': 1,
  'assurance.review.acknowledged': 1,
  'assurance.review.resolved': 1,
  'assurance.review.escalated': 1,
  'assurance.review.assigned': 1,
  'assurance.fallback.evaluated': 1,
  'assurance.exception.requested': 1,
  'assurance.exception.approved': 1,
  'assurance.exception.rejected': 1,
  'assurance.exception.revoked': 1,
  'assurance.exception.expired': 1,
};

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.hasOwn(LEDGER_SCHEMA_VERSIONS, type);
}
