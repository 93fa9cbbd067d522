import { buildPostureReport, PostureCounter } from './posture';

type PostureInput = Parameters<typeof buildPostureReport>[0];

const shares = { subjects: 0, passwordless: 0, phishingResistantCapable: 0 };
const noReviews = { open: 0, byAge: { 'under-1d': 0, '1d-7d': 0, '7d-30d': 0, 'over-30d': 0 }, oldestOccurredAt: null };
const counter = (
  applicationId: string,
  metric: PostureCounter['metric'],
  count: number,
  dimension = '',
  channel: PostureCounter['channel'] = 'web',
): PostureCounter => ({
  applicationId,
  channel,
  metric,
  dimension,
  count,
});

/** A report over these counters, with no subjects, no reviews and an open window unless the test says otherwise. */
const reportOver = (counters: PostureCounter[], overrides: Partial<PostureInput> = {}) =>
  buildPostureReport({
    window: { from: null, to: null },
    counters,
    estateShares: shares,
    applicationShares: {},
    openReviews: noReviews,
    ...overrides,
  });

describe('buildPostureReport', () => {
  it('counts authentications resting on restricted authenticators per application and AAL (SP 800-63B-4 §3.2.9)', () => {
    const report = reportOver([
      counter('bank', 'authentications', 10, '2'),
      counter('bank', 'restricted', 3, '2'),
      counter('bank', 'restricted', 1, '1'),
      counter('wiki', 'authentications', 5, '3'),
    ]);
    const byId = Object.fromEntries(report.applications.map((app) => [app.applicationId, app]));
    expect(byId.bank).toMatchObject({ restricted: 4, restrictedByAal: { '1': 1, '2': 3 } });
    expect(byId.wiki).toMatchObject({ restricted: 0, restrictedByAal: {} });
    expect(report.estate.restricted).toBe(4);
  });

  it('ranks applications by fallback rate, then violation rate', () => {
    const report = buildPostureReport({
      window: { from: null, to: null },
      counters: [
        counter('tidy', 'authentications', 100, '2'),
        counter('tidy', 'fallbacks', 1, 'password'),
        counter('leaky', 'authentications', 10, '1'),
        counter('leaky', 'fallbacks', 6, 'password'),
        counter('strict', 'authentications', 10, '1', 'vpn'),
        counter('strict', 'fallbacks', 1, 'sms', 'vpn'),
        counter('strict', 'violations', 5),
        counter('fallback-only', 'fallbacks', 3, 'password'),
      ],
      estateShares: { subjects: 4, passwordless: 1, phishingResistantCapable: 3 },
      applicationShares: { tidy: { subjects: 2, passwordless: 1, phishingResistantCapable: 2 }, unused: shares },
      openReviews: noReviews,
    });
    expect(report.applications.map((app) => [app.applicationId, app.fallbackRate, app.violationRate])).toEqual([
      ['fallback-only', 1, null],
      ['leaky', 0.6, 0],
      ['strict', 0.1, 0.5],
      ['tidy', 0.01, 0],
      ['unused', null, null],
    ]);
    expect(report.estate).toMatchObject({
      subjects: { passwordlessShare: 0.25, phishingResistantCapableShare: 0.75 },
      authentications: 120,
      authenticationsByAal: { '1': 20, '2': 100 },
      authenticationsByChannel: { web: 110, vpn: 10 },
      fallbacks: 11,
      violations: 5,
    });
    expect(report.applications.find((app) => app.applicationId === 'tidy')!.subjects.passwordlessShare).toBe(0.5);
  });

  it('splits recoveries by method and reports the share that leans on a password or on knowledge', () => {
    const report = reportOver(
      [
        counter('', 'recoveries', 3, 'completed:password-reset', ''),
        counter('', 'recoveries', 1, 'completed:help-desk', ''),
        counter('', 'recoveries', 4, 'completed:recovery-code', ''),
        counter('', 'recoveries', 2, 'failed:help-desk', ''),
        counter('', 'recoveries', 9, 'initiated:recovery-code', ''),
      ],
      { window: { from: '2026-11-01T00:00:00.000Z', to: null } },
    );
    expect(report.recoveries).toEqual({
      byMethod: {
        'password-reset': { initiated: 0, completed: 3, failed: 0 },
        'help-desk': { initiated: 0, completed: 1, failed: 2 },
        'recovery-code': { initiated: 9, completed: 4, failed: 0 },
      },
      completed: 8,
      passwordDependent: 3,
      knowledgeBased: 1,
      passwordOrKnowledgeShare: 0.5,
    });
    expect(report.applications).toEqual([]);
    expect(report.estate.fallbackRate).toBeNull();
  });
});
