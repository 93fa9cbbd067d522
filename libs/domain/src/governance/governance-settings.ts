import type { AssurancePolicy } from '../policy/policy-document';

/** The policy's review-governance settings, with the defaults the issue sets. */
export interface GovernanceSettings {
  /** A review case is overdue once this many business days (Monday to Friday, UTC) have passed since it occurred. */
  reviewSlaBusinessDays: number;
  /** How long before binding a new authenticator the subject must have authenticated (SP 800-63B-4 §4). */
  enrollmentReauthenticationWindowMinutes: number;
}

export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = Object.freeze({
  reviewSlaBusinessDays: 5,
  enrollmentReauthenticationWindowMinutes: 10,
});

/**
 * The one place governance settings are read from a policy document. The
 * policy document does not carry them yet; when it does, this reads them
 * from it and falls back to the defaults for older versions.
 */
export function governanceSettingsOf(policy?: AssurancePolicy): GovernanceSettings {
  const fromPolicy = (policy as { governance?: Partial<GovernanceSettings> } | undefined)?.governance ?? {};
  return { ...DEFAULT_GOVERNANCE_SETTINGS, ...fromPolicy };
}
