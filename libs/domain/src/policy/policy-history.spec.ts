import {
  AssurancePolicy,
  BUILT_IN_POLICY_VERSION,
  DEFAULT_POLICY,
  InvalidPolicyError,
  policyDecider,
  PolicyHistory,
  policyInForceAt,
  PolicyPublishedEvent,
  PolicyVersionConflict,
  policyVersionNumbered,
  sessionLimitFindings,
  validatePolicyDocument,
} from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

const given = (history: PolicyPublishedEvent[]) => DeciderSpecification.for(policyDecider).given(history);
const payroll = { ...DEFAULT_POLICY, applications: { payroll: { requiredAal: 3 as const, tier: 'critical' } } };
const published = (version: number, publishedAt: string, policy: AssurancePolicy = payroll): PolicyPublishedEvent => ({
  type: 'assurance.policy.published',
  data: { version, policy, publishedAt },
  time: publishedAt,
});
const publish = (expectedVersion: number, publishedAt: string, document: unknown = payroll) => ({
  type: 'PublishPolicy' as const,
  document,
  expectedVersion,
  publishedAt,
});

describe('session limits against SP 800-63B-4 §2.1.3, §2.2.3, §2.3.3', () => {
  const withSessions = (sessions: Partial<typeof DEFAULT_POLICY.sessions>) => ({
    ...DEFAULT_POLICY,
    sessions: { ...DEFAULT_POLICY.sessions, ...sessions },
  });
  const publishing = (document: unknown, acknowledgedDeviations?: unknown) => ({
    ...publish(1, '2026-03-01T00:00:00Z', document),
    ...(acknowledgedDeviations !== undefined && { acknowledgedDeviations }),
  });

  it('§2.3.3 SHALL: AAL3 sessions of 366 days are refused, acknowledged or not', () => {
    const year = withSessions({
      aal3: { maxLifetimeSeconds: 366 * 86_400, idleTimeoutSeconds: 900 },
      privileged: { maxLifetimeSeconds: 366 * 86_400, idleTimeoutSeconds: 900 },
    });
    for (const acknowledged of [undefined, ['sessions.aal3.maxLifetimeSeconds']]) {
      given([])
        .when(publishing(year, acknowledged))
        .thenThrows(InvalidPolicyError, (error) =>
          error.issues.some(
            (issue) => issue.field === 'sessions.aal3.maxLifetimeSeconds' && /§2\.3\.3.*cannot be published/.test(issue.reason),
          ),
        );
    }
  });

  it('§2.3.3 SHALL: 12 hours at AAL3 is the limit and is published', () => {
    given([])
      .when(publishing(DEFAULT_POLICY))
      .then([published(2, '2026-03-01T00:00:00Z', DEFAULT_POLICY)]);
  });

  it('§2.2.3 SHOULD: AAL2 sessions of 48 hours are refused unless acknowledged, naming the field', () => {
    const twoDays = withSessions({ aal2: { maxLifetimeSeconds: 48 * 3600, idleTimeoutSeconds: 3600 } });
    given([])
      .when(publishing(twoDays))
      .thenThrows(InvalidPolicyError, (error) =>
        error.issues.some(
          (issue) => issue.field === 'sessions.aal2.maxLifetimeSeconds' && /§2\.2\.3.*acknowledgedDeviations/.test(issue.reason),
        ),
      );
  });

  it('§2.2.3 SHOULD: acknowledged, the deviation is published and recorded in the event', () => {
    const twoDays = withSessions({ aal2: { maxLifetimeSeconds: 48 * 3600, idleTimeoutSeconds: 3600 } });
    given([])
      .when(publishing(twoDays, ['sessions.aal2.maxLifetimeSeconds']))
      .then([
        {
          type: 'assurance.policy.published',
          data: {
            version: 2,
            policy: twoDays,
            publishedAt: '2026-03-01T00:00:00Z',
            acknowledgedDeviations: ['sessions.aal2.maxLifetimeSeconds'],
          },
          time: '2026-03-01T00:00:00Z',
        },
      ]);
  });

  it.each([
    [
      '§2.1.3 SHOULD: AAL1 beyond 30 days',
      { aal1: { maxLifetimeSeconds: 31 * 86_400, idleTimeoutSeconds: null } },
      'sessions.aal1.maxLifetimeSeconds',
    ],
    [
      '§2.2.3 SHOULD: AAL2 idle beyond 1 hour',
      { aal2: { maxLifetimeSeconds: 86_400, idleTimeoutSeconds: 7200 } },
      'sessions.aal2.idleTimeoutSeconds',
    ],
    [
      '§2.2.3 SHOULD: AAL2 without an idle limit',
      { aal2: { maxLifetimeSeconds: 86_400, idleTimeoutSeconds: null } },
      'sessions.aal2.idleTimeoutSeconds',
    ],
  ])('%s is a deviation to acknowledge', (_, sessions, field) => {
    const document = withSessions(sessions as Partial<typeof DEFAULT_POLICY.sessions>);
    given([])
      .when(publishing(document))
      .thenThrows(InvalidPolicyError, (error) => error.issues.some((issue) => issue.field === field));
    expect(sessionLimitFindings(document as typeof DEFAULT_POLICY)).toEqual([expect.objectContaining({ field, strength: 'SHOULD' })]);
  });

  it('refuses an acknowledgement of something that is no deviation, so the record never claims one', () => {
    given([])
      .when(publishing(DEFAULT_POLICY, ['sessions.aal2.maxLifetimeSeconds']))
      .thenThrows(InvalidPolicyError, (error) => error.issues.some((issue) => issue.field === '(acknowledgedDeviations)[0]'));
  });
});

describe('policy publication', () => {
  it('given nothing published, when version 1 is edited and published, then version 2 is published', () => {
    given([])
      .when(publish(1, '2026-03-01T00:00:00Z'))
      .then([published(2, '2026-03-01T00:00:00Z')]);
  });

  it('given version 2, when version 2 is edited and published, then version 3 is published', () => {
    given([published(2, '2026-03-01T00:00:00Z')])
      .when(publish(2, '2026-04-01T00:00:00Z'))
      .then([published(3, '2026-04-01T00:00:00Z')]);
  });

  it('given version 2, when an author publishes an edit of version 1, then it is a version conflict', () => {
    given([published(2, '2026-03-01T00:00:00Z')])
      .when(publish(1, '2026-04-01T00:00:00Z'))
      .thenThrows(PolicyVersionConflict);
  });

  it('given version 2, when a publication is dated before it, then it is refused: versions take effect in order', () => {
    given([published(2, '2026-03-01T00:00:00Z')])
      .when(publish(2, '2026-02-01T00:00:00Z'))
      .thenThrows(PolicyVersionConflict);
  });

  it('given nothing published, when the document is invalid, then it names every problem and publishes nothing', () => {
    given([])
      .when(
        publish(1, '2026-03-01T00:00:00Z', { ...DEFAULT_POLICY, requiredAal: { ...DEFAULT_POLICY.requiredAal, web: 4 }, exceptions: {} }),
      )
      .thenThrows(InvalidPolicyError, (error) =>
        ['requiredAal.web', 'exceptions.maxDurationSeconds'].every((field) => error.issues.some((issue) => issue.field === field)),
      );
  });
});

describe('the policy version in force', () => {
  const history: PolicyHistory = [published(2, '2026-03-01T00:00:00Z'), published(3, '2026-04-01T00:00:00Z')].reduce(
    policyDecider.evolve,
    policyDecider.initialState(),
  );

  it.each([
    ['1999-01-01T00:00:00Z', 1],
    ['2026-02-28T23:59:59.999Z', 1],
    ['2026-03-01T00:00:00Z', 2],
    ['2026-03-01T02:00:00+02:00', 2],
    ['2026-03-31T23:59:59Z', 2],
    ['2026-04-01T00:00:00Z', 3],
    ['2099-01-01T00:00:00Z', 3],
  ])('at %s is version %d', (at, version) => {
    expect(policyInForceAt(history, at).version).toBe(version);
  });

  it('numbers versions from 1, the built-in default, and knows no others', () => {
    expect(policyVersionNumbered(history, 1)).toBe(BUILT_IN_POLICY_VERSION);
    expect(policyVersionNumbered(history, 3)?.effectiveFrom).toBe('2026-04-01T00:00:00Z');
    expect(policyVersionNumbered(history, 4)).toBeUndefined();
    expect(policyVersionNumbered(history, 0)).toBeUndefined();
  });
});

describe('policy document validation', () => {
  const withChange = (change: (document: any) => void) => {
    const document = structuredClone(DEFAULT_POLICY) as any;
    change(document);
    return validatePolicyDocument(document);
  };

  it('accepts the built-in default', () => {
    expect(validatePolicyDocument(DEFAULT_POLICY)).toEqual({ valid: true, policy: DEFAULT_POLICY });
  });

  it.each<[string, (document: any) => void, string, RegExp]>([
    ['an unknown channel', (d) => (d.requiredAal.email = 2), 'requiredAal.email', /unknown field/],
    ['a missing channel', (d) => delete d.requiredAal.api, 'requiredAal.api', /is required/],
    ['AAL 4', (d) => (d.requiredAal.web = 4), 'requiredAal.web', /must be an AAL/],
    ['a privileged channel below AAL3', (d) => (d.requiredAal.privileged = 2), 'requiredAal.privileged', /requires AAL3/],
    [
      'a negative lifetime',
      (d) => (d.sessions.aal2.maxLifetimeSeconds = -1),
      'sessions.aal2.maxLifetimeSeconds',
      /whole number of seconds/,
    ],
    ['a fractional idle limit', (d) => (d.sessions.aal3.idleTimeoutSeconds = 1.5), 'sessions.aal3.idleTimeoutSeconds', /whole number/],
    [
      'an idle limit longer than the lifetime',
      (d) => (d.sessions.aal2.idleTimeoutSeconds = 90_000),
      'sessions.aal2.idleTimeoutSeconds',
      /must not exceed/,
    ],
    [
      'privileged limits looser than AAL3',
      (d) => (d.sessions.privileged.maxLifetimeSeconds = 86_400),
      'sessions.privileged.maxLifetimeSeconds',
      /must not exceed/,
    ],
    [
      'privileged without an idle limit',
      (d) => (d.sessions.privileged.idleTimeoutSeconds = null),
      'sessions.privileged.idleTimeoutSeconds',
      /must not exceed/,
    ],
    [
      'an unknown fallback method',
      (d) => (d.fallback.acceptableMethods = ['carrier-pigeon']),
      'fallback.acceptableMethods[0]',
      /must be one of/,
    ],
    [
      'an unknown recovery method',
      (d) => (d.recovery.acceptableMethods.aal3 = ['guess']),
      'recovery.acceptableMethods.aal3[0]',
      /must be one of/,
    ],
    [
      'a require-aal rule without aal',
      (d) => (d.riskRules = [{ name: 'r', when: { riskLevels: ['high'] }, action: 'require-aal' }]),
      'riskRules[0].aal',
      /is required/,
    ],
    [
      'a deny rule with an aal',
      (d) => (d.riskRules = [{ name: 'r', when: { signals: ['tor'] }, action: 'deny', aal: 3 }]),
      'riskRules[0].aal',
      /only a require-aal rule/,
    ],
    ['a rule with no condition', (d) => (d.riskRules = [{ name: 'r', when: {}, action: 'deny' }]), 'riskRules[0].when', /at least one/],
    [
      'an unknown device condition',
      (d) => (d.riskRules = [{ name: 'r', when: { devices: ['stolen'] }, action: 'deny' }]),
      'riskRules[0].when.devices[0]',
      /must be one of/,
    ],
    ['two rules with one name', (d) => (d.riskRules = [d.riskRules[0], d.riskRules[0]]), 'riskRules[1].name', /duplicate/],
    ['a zero exception duration', (d) => (d.exceptions.maxDurationSeconds = 0), 'exceptions.maxDurationSeconds', /whole number/],
    ['an unknown top-level field', (d) => (d.colour = 'blue'), 'colour', /unknown field/],
    ['an application id with spaces', (d) => (d.applications['pay roll'] = { requiredAal: 2 }), 'applications.pay roll', /application id/],
  ])('refuses %s, naming the field', (_, change, field, reason) => {
    const validation = withChange(change);
    expect(validation.valid).toBe(false);
    expect(validation.valid ? [] : validation.issues).toContainEqual({ field, reason: expect.stringMatching(reason) });
  });

  it('refuses something that is not an object', () => {
    expect(validatePolicyDocument([])).toEqual({ valid: false, issues: [{ field: '(document)', reason: 'must be an object' }] });
  });
});
