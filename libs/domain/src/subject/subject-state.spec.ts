import { evolve, initialSubjectState, RECENT_HISTORY_LIMIT, SubjectEvent, SubjectState } from '@ledger/domain';
import { VALID_EVENT_DATA_EXAMPLES as EXAMPLES } from '@ledger/domain/testing';

const at = (second: number) => new Date(Date.UTC(2024, 4, 1, 9, 0, second)).toISOString();
const fold = (events: SubjectEvent[]): SubjectState => events.reduce(evolve, initialSubjectState());

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('subject state', () => {
  it('starts empty', () => {
    expect(initialSubjectState()).toEqual({
      authenticators: {},
      devices: {},
      lastAuthenticationByChannel: {},
      activeSessions: {},
      recentFallbacks: [],
      recentRecoveries: [],
      breakglassUses: 0,
      eventCount: 0,
    });
  });

  it('counts every event and remembers the last stream revision it saw', () => {
    const state = fold([
      { type: 'assurance.stepup.challenged', data: EXAMPLES['assurance.stepup.challenged'], revision: 0 },
      { type: 'assurance.stepup.completed', data: EXAMPLES['assurance.stepup.completed'], revision: 1 },
      { type: 'assurance.breakglass.used', data: EXAMPLES['assurance.breakglass.used'] },
    ]);
    expect(state.eventCount).toBe(3);
    expect(state.lastRevision).toBe(1);
  });

  it('keeps the latest identity proofing', () => {
    const state = fold([
      { type: 'assurance.identity.proofed', data: { ...EXAMPLES['assurance.identity.proofed'], ial: 1 }, time: at(1) },
      { type: 'assurance.identity.proofed', data: { ...EXAMPLES['assurance.identity.proofed'], ial: 3 }, time: at(2) },
    ]);
    expect(state.proofing).toEqual({
      ial: 3,
      method: 'remote-document-and-selfie',
      evidence: ['passport', 'liveness-check'],
      proofedBy: 'idv-vendor-onfido',
      proofedAt: at(2),
    });
  });

  it('keeps every authenticator ever enrolled, with its revocation', () => {
    const enrolled = EXAMPLES['assurance.authenticator.enrolled'];
    const state = fold([
      { type: 'assurance.authenticator.enrolled', data: { ...enrolled, authenticatorId: 'a' }, time: at(1) },
      { type: 'assurance.authenticator.enrolled', data: { ...enrolled, authenticatorId: 'b', kind: 'totp' }, time: at(2) },
      { type: 'assurance.authenticator.revoked', data: { authenticatorId: 'a', reason: 'lost' }, time: at(3) },
    ]);
    expect(state.authenticators.a).toMatchObject({
      kind: 'passkey-device-bound',
      phishingResistant: true,
      hardwareBound: true,
      syncable: false,
      status: 'revoked',
      enrolledAt: at(1),
      revokedAt: at(3),
      revocationReason: 'lost',
    });
    expect(state.authenticators.b).toMatchObject({ kind: 'totp', status: 'active', enrolledAt: at(2) });
  });

  it('makes a re-enrolled authenticator active again and forgets the old revocation', () => {
    const data = EXAMPLES['assurance.authenticator.enrolled'];
    const state = fold([
      { type: 'assurance.authenticator.enrolled', data, time: at(1) },
      { type: 'assurance.authenticator.revoked', data: { authenticatorId: data.authenticatorId, reason: 'lost' }, time: at(2) },
      { type: 'assurance.authenticator.enrolled', data, time: at(3) },
    ]);
    const authenticator = state.authenticators[data.authenticatorId];
    expect(authenticator).toMatchObject({ status: 'active', enrolledAt: at(3) });
    expect(authenticator.revokedAt).toBeUndefined();
    expect(authenticator.revocationReason).toBeUndefined();
  });

  it('tracks whether each device is bound and compliant', () => {
    const laptop = { deviceId: 'laptop', platform: 'macos', managed: true, compliant: true };
    const phone = { deviceId: 'phone', platform: 'ios', managed: false, compliant: true };
    const state = fold([
      { type: 'assurance.device.bound', data: laptop, time: at(1) },
      { type: 'assurance.device.bound', data: phone, time: at(2) },
      { type: 'assurance.device.compliance-changed', data: { ...laptop, compliant: false }, time: at(3) },
      { type: 'assurance.device.unbound', data: phone, time: at(4) },
    ]);
    expect(state.devices).toEqual({
      laptop: { ...laptop, compliant: false, bound: true, updatedAt: at(3) },
      phone: { ...phone, bound: false, updatedAt: at(4) },
    });
  });

  it('remembers the last authentication on each channel, failed ones included', () => {
    const succeeded = EXAMPLES['assurance.authentication.succeeded'];
    const failed = EXAMPLES['assurance.authentication.failed'];
    const state = fold([
      { type: 'assurance.authentication.succeeded', data: { ...succeeded, channel: 'web' }, time: at(1) },
      { type: 'assurance.authentication.succeeded', data: { ...succeeded, channel: 'vpn' }, time: at(2) },
      { type: 'assurance.authentication.failed', data: { ...failed, channel: 'web' }, time: at(3) },
    ]);
    expect(state.lastAuthenticationByChannel).toEqual({
      web: {
        outcome: 'failed',
        at: at(3),
        applicationId: failed.applicationId,
        methods: failed.methods,
        failureReason: failed.failureReason,
        sessionId: failed.sessionId,
        deviceId: failed.deviceId,
      },
      vpn: {
        outcome: 'succeeded',
        at: at(2),
        applicationId: succeeded.applicationId,
        methods: succeeded.methods,
        sessionId: succeeded.sessionId,
        deviceId: succeeded.deviceId,
      },
    });
  });

  it('keeps only sessions that have not ended or been revoked', () => {
    const session = (sessionId: string) => ({ sessionId, channel: 'web' as const, applicationId: 'payroll' });
    const state = fold([
      { type: 'assurance.session.started', data: session('s1'), time: at(1) },
      { type: 'assurance.session.started', data: { ...session('s2'), expiresAt: at(59) }, time: at(2) },
      { type: 'assurance.session.started', data: session('s3'), time: at(3) },
      { type: 'assurance.session.ended', data: { ...session('s1'), reason: 'signed out' }, time: at(4) },
      { type: 'assurance.session.revoked', data: { ...session('s3'), reason: 'risk' }, time: at(5) },
    ]);
    expect(state.activeSessions).toEqual({
      s2: { sessionId: 's2', channel: 'web', applicationId: 'payroll', startedAt: at(2), expiresAt: at(59) },
    });
  });

  describe("the ledger's own events", () => {
    const succeeded = { ...EXAMPLES['assurance.authentication.succeeded'], channel: 'privileged' as const, sessionId: 's1' };
    const verdict = (time: string, achievedAal: 0 | 1 | 2 | 3): SubjectEvent => ({
      type: 'assurance.authentication.evaluated',
      data: {
        authentication: { revision: 0, id: 'login', source: 'idp', time },
        applicationId: succeeded.applicationId,
        channel: 'privileged',
        sessionId: 's1',
        deviceId: 'laptop-42',
        requiredAal: 3,
        achievedAal,
        phishingResistant: true,
        amr: [],
        acr: [],
        verdict: achievedAal >= 3 ? 'compliant' : 'violation',
        reasons: [],
        policyVersion: 4,
        decisionPath: [],
      },
      time,
    });
    const started: SubjectEvent = {
      type: 'assurance.session.started',
      data: { sessionId: 's1', channel: 'privileged', applicationId: 'payroll' },
      time: at(2),
    };

    it('adds the verdict to the last authentication on its channel, and gives a session started by it its AAL', () => {
      const state = fold([{ type: 'assurance.authentication.succeeded', data: succeeded, time: at(1) }, verdict(at(1), 3), started]);
      expect(state.lastAuthenticationByChannel.privileged).toMatchObject({
        achievedAal: 3,
        requiredAal: 3,
        verdict: 'compliant',
        policyVersion: 4,
      });
      expect(state.activeSessions.s1).toMatchObject({
        achievedAal: 3,
        authenticatedAt: at(1),
        deviceId: 'laptop-42',
        lastActivityAt: at(2),
      });
    });

    it('lets a later authentication inside a session set its AAL, and an allowed decision through it count as activity', () => {
      const allowed: SubjectEvent = {
        type: 'assurance.access.decided',
        data: {
          decisionId: 'd1',
          applicationId: 'payroll',
          channel: 'privileged',
          sessionId: 's1',
          context: { signals: [] },
          decision: 'allow',
          requiredAal: 3,
          currentAal: 2,
          acrValues: [],
          maxAge: 1,
          acceptableMethods: [],
          reasons: [],
          policyVersion: 4,
          decidedAt: at(9),
        },
        time: at(9),
      };
      const deniedLater: SubjectEvent = {
        ...allowed,
        data: { ...(allowed.data as object), decision: 'deny', decidedAt: at(30) },
      } as SubjectEvent;
      const state = fold([
        started,
        { type: 'assurance.authentication.succeeded', data: succeeded, time: at(5) },
        verdict(at(5), 2),
        allowed,
        deniedLater,
      ]);
      expect(state.activeSessions.s1).toMatchObject({ achievedAal: 2, authenticatedAt: at(5), lastActivityAt: at(9) });
    });
  });

  it(`keeps the ${RECENT_HISTORY_LIMIT} most recent fallbacks and recoveries, oldest first`, () => {
    const many = RECENT_HISTORY_LIMIT + 5;
    const events: SubjectEvent[] = Array.from({ length: many }, (_, second) => [
      { type: 'assurance.fallback.used', data: EXAMPLES['assurance.fallback.used'], time: at(second) } as const,
      { type: 'assurance.recovery.initiated', data: EXAMPLES['assurance.recovery.initiated'], time: at(second) } as const,
    ]).flat();
    const state = fold(events);
    expect(state.recentFallbacks.map((fallback) => fallback.at)).toEqual(
      Array.from({ length: RECENT_HISTORY_LIMIT }, (_, index) => at(index + 5)),
    );
    expect(state.recentRecoveries).toHaveLength(RECENT_HISTORY_LIMIT);
    expect(state.recentRecoveries.at(-1)).toEqual({ phase: 'initiated', at: at(many - 1), ...EXAMPLES['assurance.recovery.initiated'] });
  });

  it('records the phase of each recovery', () => {
    const data = EXAMPLES['assurance.recovery.completed'];
    const state = fold([
      { type: 'assurance.recovery.initiated', data },
      { type: 'assurance.recovery.failed', data },
      { type: 'assurance.recovery.completed', data },
    ]);
    expect(state.recentRecoveries.map((recovery) => recovery.phase)).toEqual(['initiated', 'failed', 'completed']);
  });

  it('counts break-glass uses', () => {
    const breakglass: SubjectEvent = { type: 'assurance.breakglass.used', data: EXAMPLES['assurance.breakglass.used'] };
    expect(fold([breakglass, breakglass]).breakglassUses).toBe(2);
  });

  it('ignores a revocation of an authenticator it never saw, rather than inventing one', () => {
    const state = fold([{ type: 'assurance.authenticator.revoked', data: { authenticatorId: 'ghost', reason: 'x' } }]);
    expect(state.authenticators).toEqual({});
    expect(state.eventCount).toBe(1);
  });

  it('never modifies the state it is given', () => {
    const before = deepFreeze(
      fold([
        { type: 'assurance.authenticator.enrolled', data: EXAMPLES['assurance.authenticator.enrolled'] },
        { type: 'assurance.session.started', data: EXAMPLES['assurance.session.started'] },
        { type: 'assurance.fallback.used', data: EXAMPLES['assurance.fallback.used'] },
      ]),
    );
    const snapshot = structuredClone(before);
    const events: SubjectEvent[] = [
      { type: 'assurance.authenticator.revoked', data: EXAMPLES['assurance.authenticator.revoked'] },
      { type: 'assurance.session.ended', data: EXAMPLES['assurance.session.ended'] },
      { type: 'assurance.fallback.used', data: EXAMPLES['assurance.fallback.used'] },
      { type: 'assurance.device.bound', data: EXAMPLES['assurance.device.bound'] },
    ];
    expect(() => events.reduce(evolve, before)).not.toThrow();
    expect(before).toEqual(snapshot);
  });
});
