import { DEFAULT_POLICY, evolvePolicyHistory, initialPolicyHistory, validatePolicyDocument } from '@ledger/domain';

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
});
