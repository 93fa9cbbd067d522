import { evolve, initialSubjectState, SubjectEvent } from '../subject';
import { StoredEventFacts, toSubjectEvent } from './projected-event';
import { mergePostureDeltas, PostureDelta, UNEVALUATED } from './posture';
import { projectSubjectEvent, SubjectDocument, SubjectProjectionStep } from './subject-projection';
import { summarizeSubject } from './subject-summary';
import { enrollmentData } from '../testing';

let position = 0;
function stored(
  streamId: string,
  revision: number,
  type: string,
  data: Record<string, unknown>,
  time = '2026-11-02T09:30:00Z',
): StoredEventFacts {
  position += 1;
  return { streamId, revision, position, type, data, metadata: { schemaVersion: 1, time }, recordedAt: new Date('2026-11-02T10:00:00Z') };
}

function fold(events: StoredEventFacts[]): { document?: SubjectDocument; steps: SubjectProjectionStep[] } {
  let document: SubjectDocument | undefined;
  const steps: SubjectProjectionStep[] = [];
  for (const event of events) {
    const step = projectSubjectEvent(document, event);
    if (!step) continue;
    steps.push(step);
    document = step.document;
  }
  return { document, steps };
}

const enrolled = enrollmentData;
const authentication = { channel: 'web', applicationId: 'payroll', methods: [{ kind: 'security-key', amr: ['hwk'] }] };
const verdict = (revision: number, achievedAal: number, outcome: 'compliant' | 'violation') => ({
  authentication: { revision, id: `auth-${revision}`, source: 'idp', time: '2026-11-02T09:30:00Z' },
  applicationId: 'payroll',
  channel: 'web',
  requiredAal: 2,
  achievedAal,
  phishingResistant: achievedAal === 3,
  amr: ['hwk'],
  acr: [],
  verdict: outcome,
  reasons: outcome === 'violation' ? [{ rule: 'required-aal', detail: 'below AAL2' }] : [],
  policyVersion: 2,
  decisionPath: [],
});

describe('projectSubjectEvent', () => {
  it('keeps exactly the state the domain evolve folds, ledger events included', () => {
    const stream = 'subject-alice';
    const events = [
      stored(stream, 0, 'assurance.authenticator.enrolled', enrolled('key-1', 'security-key', true)),
      stored(stream, 1, 'assurance.authentication.succeeded', authentication),
      stored(stream, 2, 'assurance.authentication.evaluated', verdict(1, 3, 'compliant')),
      stored(stream, 3, 'assurance.authenticator.revoked', { authenticatorId: 'key-1', reason: 'lost' }),
    ];
    const { document } = fold(events);
    const folded = events.map((event) => toSubjectEvent(event) as SubjectEvent).reduce(evolve, initialSubjectState());
    expect(document!.state).toEqual(folded);
    expect(document!.state.lastAuthenticationByChannel.web).toMatchObject({ outcome: 'succeeded', achievedAal: 3, verdict: 'compliant' });
    expect(document!.summary).toEqual(summarizeSubject(folded));
    expect(document).toMatchObject({
      subjectId: 'alice',
      stream,
      lastPosition: events[3].position,
      lastEventAt: '2026-11-02T09:30:00.000Z',
    });
  });

  it('skips streams that are not about a subject and event types it does not know', () => {
    expect(projectSubjectEvent(undefined, stored('policy-default', 0, 'assurance.policy.published', { version: 2 }))).toBeUndefined();
    expect(projectSubjectEvent(undefined, stored('subject-bob', 0, 'vendor.future.event', { x: 1 }))).toBeUndefined();
    expect(
      projectSubjectEvent(undefined, stored('subject', 0, 'assurance.authenticator.enrolled', enrolled('k', 'totp', false))),
    ).toBeUndefined();
  });

  it('raises one review item per uncovered fallback, finished recovery, break-glass use and violation, linked to its event', () => {
    const stream = 'subject-carol';
    const fallback = {
      applicationId: 'crm',
      channel: 'saas',
      intendedMethod: 'passkey-synced',
      usedMethod: 'password',
      reason: 'new phone',
    };
    const coverage = (revision: number, covered: boolean) => ({
      fallback: { revision, id: `fb-${revision}`, source: 'idp', time: '2026-11-02T09:30:00Z' },
      applicationId: 'crm',
      channel: 'saas',
      usedMethod: 'password',
      covered,
      ...(covered ? { exceptionId: 'exc-1', reason: 'covered' } : { reason: 'no-exception-in-scope' }),
    });
    const { steps, document } = fold([
      stored(stream, 0, 'assurance.fallback.used', fallback),
      stored(stream, 1, 'assurance.fallback.evaluated', coverage(0, false)),
      stored(stream, 2, 'assurance.fallback.used', fallback),
      stored(stream, 3, 'assurance.fallback.evaluated', coverage(2, true)),
      stored(stream, 4, 'assurance.recovery.initiated', { method: 'help-desk', verifiedBy: 'agent', userNotified: true }),
      stored(stream, 5, 'assurance.recovery.completed', { method: 'help-desk', verifiedBy: 'agent', userNotified: true }),
      stored(stream, 6, 'assurance.breakglass.used', { accountId: 'root', reason: 'outage' }),
      stored(stream, 7, 'assurance.authentication.succeeded', authentication),
      stored(stream, 8, 'assurance.authentication.evaluated', verdict(7, 1, 'violation')),
    ]);
    const items = steps.flatMap((step) => step.reviewItems);
    expect(items.map((item) => [item.kind, item.itemId, item.source.revision, item.applicationId])).toEqual([
      ['fallback', 'carol~fallback~crm', 0, 'crm'],
      ['hidden-password-dependence', 'carol~hidden-password-dependence~crm', 0, 'crm'],
      ['recovery', 'carol~recovery', 5, null],
      // A help-desk recovery is also assisted and knowledge-based: one case per rule, each with its own id;
      // its password dependence is not the fallback's, which was in an application.
      ['assisted-recovery', 'carol~assisted-recovery', 5, null],
      ['hidden-password-dependence', 'carol~hidden-password-dependence', 5, null],
      ['breakglass', 'carol~breakglass', 6, null],
      ['policy-violation', 'carol~policy-violation~payroll', 8, 'payroll'],
    ]);
    expect(items[0].detail).toEqual({
      intendedMethod: 'passkey-synced',
      usedMethod: 'password',
      reason: 'new phone',
      coverage: 'no-exception-in-scope',
    });
    expect(items[6].detail).toMatchObject({ authenticationRevision: 7, requiredAal: 2, achievedAal: 1 });
    expect(document!.state.recentFallbacks.map((recorded) => recorded.coveredBy)).toEqual([null, 'exc-1']);
  });

  it('raises a review item for a denial that nothing the subject enrolled could pass', () => {
    const noEnrolledMethod = [
      { rule: 'no-enrolled-method-meets-aal', detail: 'no active enrolled authenticator acceptable to the policy reaches AAL3' },
    ];
    const decided = (revision: number, decision: string, reasons: Array<{ rule: string; detail: string }>) =>
      stored('subject-dave', revision, 'assurance.access.decided', {
        decisionId: `d-${revision}`,
        applicationId: 'payroll',
        channel: 'web',
        context: { signals: [] },
        decision,
        requiredAal: 3,
        currentAal: 1,
        acrValues: [],
        maxAge: null,
        acceptableMethods: [],
        reasons,
        policyVersion: 2,
        decidedAt: '2026-11-02T09:30:00Z',
      });
    const { steps } = fold([
      decided(0, 'deny', []), // nothing enrolled at all
      stored('subject-dave', 1, 'assurance.authenticator.enrolled', enrolled('otp-1', 'totp', false)),
      decided(2, 'deny', noEnrolledMethod), // only a TOTP, which cannot reach AAL3
      decided(3, 'step-up', []),
      stored('subject-dave', 4, 'assurance.authenticator.enrolled', enrolled('key-1', 'security-key', true)),
      decided(5, 'deny', [{ rule: 'risk-deny', detail: 'risk level high' }]), // a key is enrolled: a plain denial, not a help-desk matter
    ]);
    const denials = steps.flatMap((step) => step.reviewItems).filter((item) => item.kind === 'denied-without-enrolled-method');
    expect(denials.map((item) => [item.kind, item.source.revision])).toEqual([
      ['denied-without-enrolled-method', 0],
      ['denied-without-enrolled-method', 2],
    ]);
  });

  it('counts an authentication as unevaluated until its verdict, and a re-evaluation only once', () => {
    const stream = 'subject-erin';
    const { steps, document } = fold([
      stored(stream, 0, 'assurance.authentication.succeeded', authentication, '2026-11-02T09:30:00Z'),
      stored(stream, 1, 'assurance.authentication.evaluated', verdict(0, 2, 'compliant'), '2026-11-02T11:00:00Z'),
      stored(stream, 2, 'assurance.authentication.evaluated', verdict(0, 1, 'violation'), '2026-11-02T12:00:00Z'),
      stored(stream, 3, 'assurance.authentication.failed', { ...authentication, failureReason: 'timeout' }),
    ]);
    const counters = mergePostureDeltas(steps.flatMap((step) => step.postureDeltas)).map((d: PostureDelta) => [
      d.bucket,
      d.metric,
      d.dimension,
      d.delta,
    ]);
    expect(counters).toEqual([
      ['2026-11-02T09', 'authentications', '2', 1],
      ['2026-11-02T09', 'authentication-failures', '', 1],
    ]);
    expect(counters.some(([, , dimension]) => dimension === UNEVALUATED)).toBe(false);
    expect(steps[0].applicationsUsed).toEqual(['payroll']);
    expect(document!.lastEvaluatedRevision).toBe(0);
  });
});
