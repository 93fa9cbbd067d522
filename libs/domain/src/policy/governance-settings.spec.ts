import {
  DEFAULT_POLICY,
  evolvePolicyHistory,
  governanceSettingsOf,
  initialPolicyHistory,
  reviewSlaBusinessDaysFor,
  validatePolicyDocument,
} from '@ledger/domain';

const { governance: _omitted, ...withoutGovernance } = DEFAULT_POLICY;

describe('governance settings in the policy', () => {
  it('defaults in the built-in version: 5 business days to review, 10 minutes to re-authenticate before an enrollment, 30 days of exception', () => {
    expect(DEFAULT_POLICY.governance).toEqual({ reviewSlaBusinessDays: 5, enrollmentReauthenticationWindowMinutes: 10 });
    expect(DEFAULT_POLICY.exceptions.maxDurationSeconds).toBe(30 * 24 * 3600);
  });

  it('fills what a document leaves out, field by field', () => {
    const omitted = validatePolicyDocument(withoutGovernance);
    expect(omitted.valid && omitted.policy.governance).toEqual({ reviewSlaBusinessDays: 5, enrollmentReauthenticationWindowMinutes: 10 });
    const partial = validatePolicyDocument({ ...withoutGovernance, governance: { reviewSlaBusinessDays: 3 } });
    expect(partial.valid && partial.policy.governance).toEqual({ reviewSlaBusinessDays: 3, enrollmentReauthenticationWindowMinutes: 10 });
  });

  it('names each invalid or unknown governance field', () => {
    const result = validatePolicyDocument({
      ...DEFAULT_POLICY,
      governance: { reviewSlaBusinessDays: 0, enrollmentReauthenticationWindowMinutes: 2.5, slaHours: 4 },
    });
    expect(result.valid).toBe(false);
    expect(!result.valid && result.issues.map((issue) => issue.field).sort()).toEqual([
      'governance.enrollmentReauthenticationWindowMinutes',
      'governance.reviewSlaBusinessDays',
      'governance.slaHours',
    ]);
  });

  it('reads a version published before the settings existed with the defaults', () => {
    const history = evolvePolicyHistory(initialPolicyHistory(), {
      type: 'assurance.policy.published',
      data: { version: 2, policy: withoutGovernance as never, publishedAt: '2026-01-01T00:00:00Z' },
    });
    expect(history.versions[1].policy.governance).toEqual({ reviewSlaBusinessDays: 5, enrollmentReauthenticationWindowMinutes: 10 });
  });

  describe('review SLA by severity', () => {
    it('defaults to 1, 3, 5 and 10 business days from critical to low, for a policy that names none', () => {
      const settings = governanceSettingsOf(DEFAULT_POLICY);
      expect(['critical', 'high', 'medium', 'low'].map((severity) => reviewSlaBusinessDaysFor(settings, severity as never))).toEqual([
        1, 3, 5, 10,
      ]);
    });

    it('takes the days a policy names, severity by severity, the others defaulted', () => {
      const result = validatePolicyDocument({
        ...DEFAULT_POLICY,
        governance: { reviewSlaBusinessDaysBySeverity: { critical: 2, low: 20 } },
      });
      expect(result.valid).toBe(true);
      const settings = governanceSettingsOf(result.valid ? result.policy : undefined);
      expect(['critical', 'high', 'medium', 'low'].map((severity) => reviewSlaBusinessDaysFor(settings, severity as never))).toEqual([
        2, 3, 5, 20,
      ]);
    });

    it('names each invalid or unknown severity', () => {
      const result = validatePolicyDocument({
        ...DEFAULT_POLICY,
        governance: { reviewSlaBusinessDaysBySeverity: { critical: 0, high: 61, urgent: 1 } },
      });
      expect(!result.valid && result.issues.map((issue) => issue.field).sort()).toEqual([
        'governance.reviewSlaBusinessDaysBySeverity.critical',
        'governance.reviewSlaBusinessDaysBySeverity.high',
        'governance.reviewSlaBusinessDaysBySeverity.urgent',
      ]);
    });
  });
});
