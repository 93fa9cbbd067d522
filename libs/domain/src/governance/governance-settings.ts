import { AssurancePolicy, DEFAULT_GOVERNANCE_SETTINGS, GovernanceSettings } from '../policy/policy-document';

/**
 * The one place governance settings are read from a policy document. Versions
 * published before the settings existed carry none and read as the defaults,
 * which were in force then.
 */
export function governanceSettingsOf(policy?: AssurancePolicy): GovernanceSettings {
  return { ...DEFAULT_GOVERNANCE_SETTINGS, ...policy?.governance };
}
