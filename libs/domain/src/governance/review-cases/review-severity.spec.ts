import { higherSeverity, reviewSeverityOf } from '@ledger/domain';

const severity = (kind: string, detail: Record<string, unknown> = {}, channel: string | null = null) =>
  reviewSeverityOf({ kind, channel, detail });

describe('review case severity, from the rule and the stakes', () => {
  it('sets a base by rule', () => {
    expect(severity('breakglass')).toBe('critical');
    expect(severity('recovery-weaker-than-primary', { strongestActiveAal: 2 })).toBe('high');
    expect(severity('assisted-recovery', { missing: ['second-approval'] })).toBe('high');
    expect(severity('assisted-recovery', { missing: [] })).toBe('medium');
    expect(severity('fallback', {}, 'web')).toBe('medium');
    expect(severity('policy-violation', { requiredAal: 2 }, 'web')).toBe('medium');
    expect(severity('hidden-password-dependence')).toBe('medium');
    expect(severity('enrollment-below-required-assurance', { requiredAal: null })).toBe('medium');
    expect(severity('recovery')).toBe('low');
  });

  it('raises it one step for the privileged channel and one for a required AAL3, up to critical', () => {
    expect(severity('fallback', {}, 'privileged')).toBe('high');
    expect(severity('policy-violation', { requiredAal: 3 }, 'web')).toBe('high');
    expect(severity('policy-violation', { requiredAal: 3 }, 'privileged')).toBe('critical');
    expect(severity('enrollment-below-required-assurance', { requiredAal: 3 })).toBe('high');
    expect(severity('recovery-weaker-than-primary', { requiredAal: 3 }, 'privileged')).toBe('critical');
    expect(severity('breakglass', {}, 'privileged')).toBe('critical');
  });

  it('keeps the higher of two', () => {
    expect(higherSeverity('low', 'high')).toBe('high');
    expect(higherSeverity('critical', 'medium')).toBe('critical');
  });
});
