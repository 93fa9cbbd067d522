import { Channel } from '../event-catalog/vocabulary';

/**
 * Events the ledger itself writes. Emitters cannot post these: they are
 * not in the ingestion catalog. They share the `assurance.` prefix so that
 * an export reads as one vocabulary.
 */
export const LEDGER_EVENT_TYPES = {
  policyPublished: 'assurance.policy.published',
  authenticationEvaluated: 'assurance.authentication.evaluated',
  accessDecided: 'assurance.access.decided',
} as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[keyof typeof LEDGER_EVENT_TYPES];

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
  version: number;
  /** The whole validated policy document of this version. */
  policy: Record<string, unknown>;
  publishedAt: string;
  publishedBy?: string;
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
  requiredAal: AssuranceLevel;
  achievedAal: AchievedAssuranceLevel;
  phishingResistant: boolean;
  amr: string[];
  acr: string[];
  verdict: 'compliant' | 'violation';
  /** Why it is a violation; empty when compliant. */
  reasons: RuleFiring[];
  policyVersion: number;
  decisionPath: RuleFiring[];
}

/** A step-up decision answered by `POST /v1/decisions`, kept in the subject stream. */
export interface AccessDecidedData {
  decisionId: string;
  applicationId: string;
  channel: Channel;
  sessionId?: string;
  context: { deviceId?: string; ipAddress?: string; riskLevel?: string; signals: string[] };
  decision: 'allow' | 'step-up' | 'deny';
  requiredAal: AssuranceLevel | null;
  currentAal: AchievedAssuranceLevel;
  acrValues: string[];
  /** Seconds, as RFC 9470 `max_age`. */
  maxAge: number | null;
  acceptableMethods: string[];
  reasons: RuleFiring[];
  policyVersion: number;
  decidedAt: string;
}
