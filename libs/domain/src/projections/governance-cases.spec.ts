import { StoredEventFacts } from './projected-event';
import { projectSubjectEvent, SubjectDocument } from './subject-projection';
import { ReviewItem } from './review-items';

let position = 0;
function event(
  revision: number,
  type: string,
  data: Record<string, unknown>,
  time: string,
  schemaVersion = type === 'assurance.authenticator.enrolled' ? 2 : 1,
): StoredEventFacts {
  position += 1;
  return { streamId: 'subject-gina', revision, position, type, data, metadata: { schemaVersion, time }, recordedAt: new Date(time) };
}

/** Folds the events and answers every review item they raised and the final document. */
function project(events: StoredEventFacts[]): { items: ReviewItem[]; document: SubjectDocument } {
  let document: SubjectDocument | undefined;
  const items: ReviewItem[] = [];
  for (const stored of events) {
    const step = projectSubjectEvent(document, stored)!;
    items.push(...step.reviewItems);
    document = step.document;
  }
  return { items, document: document! };
}

const securityKey = (authenticatorId: string, extra: Record<string, unknown> = {}) => ({
  authenticatorId,
  kind: 'security-key',
  phishingResistant: true,
  hardwareBound: true,
  syncable: false,
  userVerification: true,
  ...extra,
});
const sms = {
  authenticatorId: 'sms-1',
  kind: 'sms',
  phishingResistant: false,
  hardwareBound: false,
  syncable: false,
  userVerification: false,
  userNotified: true,
};
const proofed = { ial: 2, method: 'remote', evidence: ['passport'], proofedBy: 'idv' };
const succeeded = (sessionId?: string) => ({
  channel: 'web',
  applicationId: 'payroll',
  methods: [{ kind: 'security-key', amr: ['hwk'] }],
  ...(sessionId && { sessionId }),
});
const verdict = (revision: number, time: string, achievedAal: number, sessionId?: string) => ({
  authentication: { revision, id: `auth-${revision}`, source: 'idp', time },
  applicationId: 'payroll',
  channel: 'web',
  ...(sessionId && { sessionId }),
  requiredAal: 2,
  achievedAal,
  phishingResistant: achievedAal === 3,
  amr: ['hwk'],
  acr: [],
  verdict: 'compliant',
  reasons: [],
  policyVersion: 1,
  decisionPath: [],
});
const kindsOf = (items: ReviewItem[]) => items.map((item) => item.kind);
const enrollmentCases = (items: ReviewItem[]) => items.filter((item) => item.kind === 'enrollment-below-required-assurance');

describe('enrollment governance cases', () => {
  const proofedWithKey = [
    event(0, 'assurance.identity.proofed', proofed, '2026-11-02T09:00:00Z'),
    event(1, 'assurance.authenticator.enrolled', securityKey('key-1', { userNotified: true }), '2026-11-02T09:01:00Z'),
  ];

  it('judges the first enrollment after proofing against the proofing: no authentication needed, a notification is', () => {
    expect(enrollmentCases(project(proofedWithKey).items)).toEqual([]);
    const unnotified = project([
      proofedWithKey[0],
      event(1, 'assurance.authenticator.enrolled', securityKey('key-1'), '2026-11-02T09:01:00Z'),
    ]);
    expect(enrollmentCases(unnotified.items).map((item) => item.detail)).toEqual([
      expect.objectContaining({ basis: 'identity-proofing', gaps: ['user-not-notified'], requiredAal: null }),
    ]);
  });

  it('opens a case for a second security key with no authentication in the window', () => {
    const { items } = project([
      ...proofedWithKey,
      event(2, 'assurance.authenticator.enrolled', securityKey('key-2', { userNotified: true }), '2026-11-05T10:00:00Z'),
    ]);
    expect(enrollmentCases(items)).toEqual([
      expect.objectContaining({
        itemId: 'gina~enrollment-below-required-assurance',
        status: 'open',
        detail: expect.objectContaining({
          authenticatorId: 'key-2',
          basis: 'authentication',
          requiredAal: 3,
          gaps: ['no-authentication-in-window'],
        }),
      }),
    ]);
  });

  it('opens none for the same enrollment right after an AAL3 authentication', () => {
    const { items } = project([
      ...proofedWithKey,
      event(2, 'assurance.authentication.succeeded', succeeded(), '2026-11-05T09:55:00Z'),
      event(3, 'assurance.authentication.evaluated', verdict(2, '2026-11-05T09:55:00Z', 3), '2026-11-05T09:55:00Z'),
      event(4, 'assurance.authenticator.enrolled', securityKey('key-2', { userNotified: true }), '2026-11-05T10:00:00Z'),
    ]);
    expect(enrollmentCases(items)).toEqual([]);
  });

  it('does not count an authentication older than the window, or below the AAL required', () => {
    const enrolledAt = '2026-11-05T10:00:00Z';
    const tooOld = project([
      ...proofedWithKey,
      event(2, 'assurance.authentication.succeeded', succeeded(), '2026-11-05T09:49:59Z'),
      event(3, 'assurance.authentication.evaluated', verdict(2, '2026-11-05T09:49:59Z', 3), '2026-11-05T09:49:59Z'),
      event(4, 'assurance.authenticator.enrolled', securityKey('key-2', { userNotified: true }), enrolledAt),
    ]);
    expect(enrollmentCases(tooOld.items)).toHaveLength(1);
    const tooWeak = project([
      ...proofedWithKey,
      event(2, 'assurance.authentication.succeeded', succeeded(), '2026-11-05T09:58:00Z'),
      event(3, 'assurance.authentication.evaluated', verdict(2, '2026-11-05T09:58:00Z', 2), '2026-11-05T09:58:00Z'),
      event(4, 'assurance.authenticator.enrolled', securityKey('key-2', { userNotified: true }), enrolledAt),
    ]);
    expect(enrollmentCases(tooWeak.items).map((item) => item.detail.gaps)).toEqual([['no-authentication-in-window']]);
  });

  it('requires the authentication in the enrollment session when the enrollment names one', () => {
    const history = [
      ...proofedWithKey,
      event(2, 'assurance.authentication.succeeded', succeeded('s-1'), '2026-11-05T09:58:00Z'),
      event(3, 'assurance.authentication.evaluated', verdict(2, '2026-11-05T09:58:00Z', 3, 's-1'), '2026-11-05T09:58:00Z'),
    ];
    const sameSession = project([
      ...history,
      event(4, 'assurance.authenticator.enrolled', securityKey('key-2', { sessionId: 's-1', userNotified: true }), '2026-11-05T10:00:00Z'),
    ]);
    const otherSession = project([
      ...history,
      event(4, 'assurance.authenticator.enrolled', securityKey('key-2', { sessionId: 's-2', userNotified: true }), '2026-11-05T10:00:00Z'),
    ]);
    expect(enrollmentCases(sameSession.items)).toEqual([]);
    expect(enrollmentCases(otherSession.items)).toHaveLength(1);
  });

  it('reads a v1 enrollment as one without a notification on record', () => {
    const { items } = project([
      event(0, 'assurance.identity.proofed', proofed, '2026-11-02T09:00:00Z'),
      event(1, 'assurance.authenticator.enrolled', securityKey('key-1'), '2026-11-02T09:01:00Z', 1),
    ]);
    expect(enrollmentCases(items).map((item) => item.detail.gaps)).toEqual([['user-not-notified']]);
  });

  it('needs only the notification for the very first enrollment of a subject never proofed', () => {
    expect(
      enrollmentCases(
        project([event(0, 'assurance.authenticator.enrolled', securityKey('key-1', { userNotified: true }), '2026-11-02T09:01:00Z')]).items,
      ),
    ).toEqual([]);
  });
});

describe('recovery governance cases', () => {
  const withSecurityKey = [
    event(0, 'assurance.identity.proofed', proofed, '2026-11-02T09:00:00Z'),
    event(1, 'assurance.authenticator.enrolled', securityKey('key-1', { userNotified: true }), '2026-11-02T09:01:00Z'),
  ];
  const recovery = (revision: number, method: string, extra: Record<string, unknown> = {}) =>
    event(
      revision,
      'assurance.recovery.completed',
      { method, verifiedBy: 'agent-7', ticketId: 'INC-1', userNotified: true, ...extra },
      '2026-11-10T09:00:00Z',
    );

  it('opens recovery-weaker-than-primary for a recovery by SMS when the primary is a security key', () => {
    const { items } = project([...withSecurityKey, recovery(2, 'sms')]);
    expect(items.find((item) => item.kind === 'recovery-weaker-than-primary')).toMatchObject({
      itemId: 'gina~recovery-weaker-than-primary',
      detail: { method: 'sms', strongestActiveAal: 3 },
    });
  });

  it('opens no such case when the recovery is as strong as the primary, or the primary is weak', () => {
    expect(kindsOf(project([...withSecurityKey, recovery(2, 're-proofing')]).items)).not.toContain('recovery-weaker-than-primary');
    const smsOnly = [event(0, 'assurance.authenticator.enrolled', sms, '2026-11-02T09:01:00Z')];
    expect(kindsOf(project([...smsOnly, recovery(1, 'recovery-code')]).items)).not.toContain('recovery-weaker-than-primary');
  });

  it('opens an assisted-recovery case for every help-desk recovery, showing it unverified until a second person approves', () => {
    const { items } = project([...withSecurityKey, recovery(2, 'help-desk')]);
    expect(kindsOf(items)).toEqual(
      expect.arrayContaining(['assisted-recovery', 'hidden-password-dependence', 'recovery-weaker-than-primary']),
    );
    expect(items.find((item) => item.kind === 'assisted-recovery')!.detail).toMatchObject({
      governance: 'unverified',
      missing: ['second-approval'],
    });
    const approvedInline = project([...withSecurityKey, recovery(2, 'help-desk', { approvedBy: 'lead-2' })]);
    expect(approvedInline.items.find((item) => item.kind === 'assisted-recovery')!.detail).toMatchObject({
      governance: 'verified',
      missing: [],
    });
  });

  it('opens hidden-password-dependence for a password reset', () => {
    const { items } = project([...withSecurityKey, recovery(2, 'password-reset')]);
    expect(items.find((item) => item.kind === 'hidden-password-dependence')!.detail).toMatchObject({ dependence: 'password' });
  });

  it('raises nothing for a failed recovery beyond the recovery item itself', () => {
    const failed = event(
      2,
      'assurance.recovery.failed',
      { method: 'help-desk', verifiedBy: 'agent-7', userNotified: true },
      '2026-11-10T09:00:00Z',
    );
    expect(kindsOf(project([...withSecurityKey, failed]).items)).toEqual(['recovery']);
  });
});

describe('hidden password dependence of fallbacks', () => {
  const fallback = (revision: number, usedMethod: string) =>
    event(
      revision,
      'assurance.fallback.used',
      { applicationId: 'crm', channel: 'saas', intendedMethod: 'passkey-synced', usedMethod, reason: 'new phone' },
      '2026-11-10T09:00:00Z',
    );
  // The ledger's coverage decision, appended right after each fallback.
  const evaluation = (revision: number, usedMethod: string, exceptionId?: string) =>
    event(
      revision,
      'assurance.fallback.evaluated',
      {
        fallback: { revision: revision - 1, id: `fb-${revision - 1}`, source: 'idp', time: '2026-11-10T09:00:00Z' },
        applicationId: 'crm',
        channel: 'saas',
        usedMethod,
        covered: exceptionId !== undefined,
        ...(exceptionId !== undefined ? { exceptionId, reason: 'covered' } : { reason: 'no-exception-in-scope' }),
      },
      '2026-11-10T09:00:00Z',
    );

  it('opens a case next to the fallback case when an uncovered fallback used a password', () => {
    const { items } = project([fallback(0, 'password'), evaluation(1, 'password')]);
    expect(items.map((item) => [item.kind, item.itemId, item.applicationId])).toEqual([
      ['fallback', 'gina~fallback~crm', 'crm'],
      ['hidden-password-dependence', 'gina~hidden-password-dependence~crm', 'crm'],
    ]);
  });

  it('opens neither case when an exception covers the password fallback', () => {
    expect(kindsOf(project([fallback(0, 'password'), evaluation(1, 'password', 'exc-1')]).items)).toEqual([]);
  });

  it('opens none for a fallback to another possession factor', () => {
    expect(kindsOf(project([fallback(0, 'totp'), evaluation(1, 'totp')]).items)).toEqual(['fallback']);
  });
});
