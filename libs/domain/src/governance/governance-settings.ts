import { AssurancePolicy, DEFAULT_GOVERNANCE_SETTINGS, GovernanceSettings } from '../policy/policy-document';
import { DEFAULT_REVIEW_SLA_BUSINESS_DAYS_BY_SEVERITY, ReviewSeverity } from './review-cases/review-severity';

/**
 * The one place governance settings are read from a policy document. Versions
 * published before the settings existed carry none and read as the defaults,
 * which were in force then.
 */
export function governanceSettingsOf(policy?: AssurancePolicy): GovernanceSettings {
  return { ...DEFAULT_GOVERNANCE_SETTINGS, ...policy?.governance };
}

/** The business days a review case of `severity` may stay unresolved under these settings. */
export function reviewSlaBusinessDaysFor(settings: GovernanceSettings, severity: ReviewSeverity): number {
  return settings.reviewSlaBusinessDaysBySeverity?.[severity] ?? DEFAULT_REVIEW_SLA_BUSINESS_DAYS_BY_SEVERITY[severity];
}
