/** Lowest to highest; the queue lists the highest first. */
export const REVIEW_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

/** Business days a case of each severity may stay unresolved when the policy names none (`governance.reviewSlaBusinessDaysBySeverity`). */
export const DEFAULT_REVIEW_SLA_BUSINESS_DAYS_BY_SEVERITY: Readonly<Record<ReviewSeverity, number>> = Object.freeze({
  critical: 1,
  high: 3,
  medium: 5,
  low: 10,
});

/** What a severity is judged from: the rule, where it happened, and what the rule found (the occurrence's `detail`). */
export interface ReviewSeverityFacts {
  kind: string;
  channel: string | null;
  detail: Record<string, unknown>;
}

/**
 * The stakes of one occurrence. The rule sets a base:
 * - `breakglass` is critical: an emergency account bypassed authentication altogether.
 * - `recovery-weaker-than-primary` is high: access was restored by something an attacker can pass
 *   more easily than the sign-in it replaces, which makes the strong primary moot.
 * - `assisted-recovery` is high while a second person has not approved it (`missing` is not
 *   empty), medium once verified.
 * - a violation, a fallback, a denial nothing enrolled could pass, a hidden password dependence
 *   and an enrollment below the required assurance are medium; a plain `recovery` is low.
 * Then the stakes raise it by one step each, up to critical: the `privileged` channel, and a
 * required AAL of 3 (`requiredAal` in the detail), where a gap is a gap in the strongest tier.
 */
export function reviewSeverityOf({ kind, channel, detail }: ReviewSeverityFacts): ReviewSeverity {
  let rank = REVIEW_SEVERITIES.indexOf(baseSeverity(kind, detail));
  if (channel === 'privileged') rank++;
  if (detail.requiredAal === 3) rank++;
  return REVIEW_SEVERITIES[Math.min(rank, REVIEW_SEVERITIES.length - 1)];
}

function baseSeverity(kind: string, detail: Record<string, unknown>): ReviewSeverity {
  switch (kind) {
    case 'breakglass':
      return 'critical';
    case 'recovery-weaker-than-primary':
      return 'high';
    case 'assisted-recovery':
      return Array.isArray(detail.missing) && detail.missing.length > 0 ? 'high' : 'medium';
    case 'recovery':
      return 'low';
    default:
      return 'medium';
  }
}

/** 0 for low up to 3 for critical: what the read models sort and compare. */
export function reviewSeverityRank(severity: ReviewSeverity): number {
  return REVIEW_SEVERITIES.indexOf(severity);
}

/** The higher of two severities: a case is as severe as its most severe occurrence. */
export function higherSeverity(a: ReviewSeverity, b: ReviewSeverity): ReviewSeverity {
  return reviewSeverityRank(a) >= reviewSeverityRank(b) ? a : b;
}
