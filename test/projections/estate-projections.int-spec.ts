import { randomUUID } from 'node:crypto';
import { AuthenticatorRecord, highestAvailableAal } from '@ledger/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@ledger/event-store';
import { ProjectionRunner, SqliteReadModelStore } from '@ledger/read-models';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import {
  APPLICATIONS,
  ensureVerdict,
  ExpectedSubject,
  isPasswordless,
  isPhishingResistantCapable,
  LEAKY_APPLICATION,
  scriptEstate,
} from './support/scripted-estate';

const SUBJECTS = 220;
const PARALLEL_SUBJECTS = 16;
const BATCH = 'application/cloudevents-batch+json';

const KIND_PROPERTIES: Record<string, Pick<AuthenticatorRecord, 'phishingResistant' | 'hardwareBound' | 'syncable'>> = {
  'security-key': { phishingResistant: true, hardwareBound: true, syncable: false },
  'passkey-synced': { phishingResistant: true, hardwareBound: false, syncable: true },
  'passkey-device-bound': { phishingResistant: true, hardwareBound: true, syncable: false },
  'push-number-match': { phishingResistant: false, hardwareBound: false, syncable: false },
  totp: { phishingResistant: false, hardwareBound: false, syncable: false },
  sms: { phishingResistant: false, hardwareBound: false, syncable: false },
  password: { phishingResistant: false, hardwareBound: false, syncable: false },
};

/** The AAL each recovery method is fit to restore, as docs/governance.md states it. */
const RECOVERY_STRENGTH: Record<string, number> = {
  're-proofing': 3,
  'temporary-access-pass': 3,
  'recovery-code': 2,
  'help-desk': 2,
  'recovery-contact': 1,
  'password-reset': 1,
};

/**
 * The governance cases the script's subjects must raise, from the rules as
 * documented. No authentication precedes any enrollment in the script and
 * every kind it enrolls reaches at least AAL1, so every enrollment after the
 * first lacks its authentication; the first needs only its notification
 * (bound by the proofing, or with nothing active to authenticate with).
 */
function governanceCasesOf(subject: ExpectedSubject): Record<string, number> {
  const active: AuthenticatorRecord[] = subject.authenticators
    .filter((a) => a.status === 'active')
    .map((a) => ({
      authenticatorId: a.authenticatorId,
      kind: a.kind,
      ...KIND_PROPERTIES[a.kind],
      userVerification: true,
      status: 'active',
    }));
  const completed = subject.recoveries.filter((r) => r.phase === 'completed');
  return {
    'enrollment-below-required-assurance': subject.authenticators.filter((a, k) => k > 0 || !a.userNotified).length,
    'assisted-recovery': completed.filter((r) => r.method === 'help-desk').length,
    // Every fallback the script records falls back to a password.
    'hidden-password-dependence':
      completed.filter((r) => r.method === 'help-desk' || r.method === 'password-reset').length + subject.fallbacks.length,
    'recovery-weaker-than-primary': completed.filter((r) => RECOVERY_STRENGTH[r.method] < highestAvailableAal(active)).length,
  };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

interface Verdict {
  achievedAal: number;
  verdict: 'compliant' | 'violation';
}

async function ingest(ledger: RunningLedger, store: EventStore, subject: ExpectedSubject): Promise<void> {
  let authentication = 0;
  for (const segment of subject.segments) {
    const response = await ledger.post(segment, BATCH);
    if (response.status !== 201) throw new Error(`ingesting ${subject.subjectId}: ${response.status} ${JSON.stringify(response.body)}`);
    segment.forEach((event, i) => {
      if (event.type.startsWith('assurance.authentication.'))
        subject.authentications[authentication++].revision = response.body.results[i].revision;
    });
    const last = segment[segment.length - 1];
    if (last.type === 'assurance.authentication.succeeded') {
      const revision = response.body.results[segment.length - 1].revision;
      const [stored] = await store.readStream(`subject-${subject.subjectId}`, { fromRevision: revision, maxCount: 1 });
      await ensureVerdict(store, subject.subjectId, stored);
    }
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function describeEstateOn(storeName: string, start: () => Promise<{ ledger: RunningLedger; dispose(): Promise<void> }>) {
  describe(`read models over a scripted estate of ${SUBJECTS} subjects (${storeName})`, () => {
    let ledger: RunningLedger;
    let dispose: () => Promise<void>;
    let store: EventStore;
    let estate: ExpectedSubject[];
    let stored: RecordedEvent[];
    /** First verdict per authentication, keyed `<stream>@<revision>`, as stored: written by the ledger's policy or by the test. */
    const verdicts = new Map<string, Verdict>();
    const tag = `estate-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      ({ ledger, dispose } = await start());
      store = ledger.app.get<EventStore>(EVENT_STORE);
      estate = scriptEstate(tag, SUBJECTS);
      await inParallel(estate, PARALLEL_SUBJECTS, (subject) => ingest(ledger, store, subject));
      stored = await store.readAll();
      for (const event of stored) {
        if (event.type !== 'assurance.authentication.evaluated') continue;
        const data = event.data as { authentication: { revision: number }; achievedAal: number; verdict: Verdict['verdict'] };
        const key = `${event.streamId}@${data.authentication.revision}`;
        if (!verdicts.has(key)) verdicts.set(key, { achievedAal: data.achievedAal, verdict: data.verdict });
      }
      const head = stored[stored.length - 1].position;
      const caughtUp = await ledger.get(`/v1/projections/checksums?minPosition=${head}`);
      if (caughtUp.status !== 200) throw new Error(`projections did not catch up: ${JSON.stringify(caughtUp.body)}`);
    }, 120_000);
    afterAll(() => dispose?.());

    const verdictOf = (subject: ExpectedSubject, revision: number | undefined) => verdicts.get(`subject-${subject.subjectId}@${revision}`);
    const openItemsOf = (subject: ExpectedSubject) =>
      subject.fallbacks.length +
      subject.recoveries.filter((r) => r.phase !== 'initiated').length +
      subject.breakglassUses +
      subject.authentications.filter((a) => a.outcome === 'succeeded' && verdictOf(subject, a.revision)?.verdict === 'violation').length +
      sum(governanceCasesOf(subject));

    it('ingested a mixed estate', () => {
      expect(estate.filter((s) => s.fallbacks.length > 0).length).toBeGreaterThan(30);
      expect(estate.filter((s) => s.recoveries.length > 0).length).toBeGreaterThan(20);
      expect(estate.filter((s) => s.authenticators.some((a) => a.status === 'revoked')).length).toBeGreaterThan(20);
      expect(verdicts.size).toBe(estate.flatMap((s) => s.authentications).filter((a) => a.outcome === 'succeeded').length);
    });

    it('shows every subject as the script says', async () => {
      for (const subject of estate) {
        const { status, body } = await ledger.get(`/v1/subjects/${subject.subjectId}`);
        expect(status).toBe(200);
        const active: AuthenticatorRecord[] = subject.authenticators
          .filter((a) => a.status === 'active')
          .map((a) => ({
            authenticatorId: a.authenticatorId,
            kind: a.kind,
            ...KIND_PROPERTIES[a.kind],
            userVerification: true,
            status: 'active',
          }));
        const lastByChannel = new Map(subject.authentications.map((a) => [a.channel, a]));
        expect(body).toMatchObject({
          subjectId: subject.subjectId,
          summary: {
            passwordless: isPasswordless(subject),
            phishingResistantCapable: isPhishingResistantCapable(subject),
            highestAal: highestAvailableAal(active),
          },
          identityProofing: subject.proofing && expect.objectContaining(subject.proofing),
          breakglassUses: subject.breakglassUses,
        });
        expect(
          body.authenticators.map((a: any) => [
            a.authenticatorId,
            a.kind,
            a.status,
            a.enrolledAt,
            a.revokedAt,
            a.phishingResistant,
            a.hardwareBound,
            a.syncable,
          ]),
        ).toEqual(
          subject.authenticators.map((a) => [
            a.authenticatorId,
            a.kind,
            a.status,
            a.enrolledAt,
            a.revokedAt,
            ...Object.values(KIND_PROPERTIES[a.kind]),
          ]),
        );
        expect(Object.fromEntries(body.devices.map((d: any) => [d.deviceId, d.compliant]))).toEqual(subject.boundDevices);
        expect(body.lastAuthentications.map((a: any) => [a.channel, a.outcome, a.at, a.applicationId, a.achievedAal, a.verdict])).toEqual(
          [...lastByChannel.values()]
            .sort((a, b) => a.channel.localeCompare(b.channel))
            .map((a) => {
              const verdict = a.outcome === 'succeeded' ? verdictOf(subject, a.revision) : undefined;
              return [a.channel, a.outcome, a.at, a.applicationId, verdict?.achievedAal ?? null, verdict?.verdict ?? null];
            }),
        );
        expect(body.activeSessions.map((s: any) => s.sessionId)).toEqual(subject.liveSessions);
        expect(body.recentFallbacks.map((f: any) => [f.applicationId, f.at])).toEqual(
          subject.fallbacks.map((f) => [f.applicationId, f.at]),
        );
        expect(body.recentRecoveries.map((r: any) => [r.phase, r.method])).toEqual(subject.recoveries.map((r) => [r.phase, r.method]));
        // Occurrences of one rule for one application are one case: at most as many cases as occurrences, and some when any.
        expect(body.openReviewItems.length).toBeLessThanOrEqual(openItemsOf(subject));
        expect(body.openReviewItems.length > 0).toBe(openItemsOf(subject) > 0);
      }
      expect((await ledger.get(`/v1/subjects/${tag}-missing`)).status).toBe(404);
    });

    it('finds subjects by id prefix, page by page', async () => {
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { subjects: Array<{ subjectId: string }>; nextCursor: string | null } } = await ledger.get(
          `/v1/subjects?prefix=${tag}-00&limit=40${cursor ? `&cursor=${cursor}` : ''}`,
        );
        found.push(...page.body.subjects.map((s) => s.subjectId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(found).toEqual(estate.map((s) => s.subjectId).filter((id) => id.startsWith(`${tag}-00`)));
    });

    it('queues every item that needs review, each linked to its source event', async () => {
      const items: any[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: any[]; nextCursor: string | null } } = await ledger.get(
          `/v1/reviews?status=open&limit=97${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);

      const expected = {
        fallback: estate.reduce((n, s) => n + s.fallbacks.length, 0),
        recovery: estate.reduce((n, s) => n + s.recoveries.filter((r) => r.phase !== 'initiated').length, 0),
        breakglass: estate.reduce((n, s) => n + s.breakglassUses, 0),
        'policy-violation': [...verdicts.values()].filter((v) => v.verdict === 'violation').length,
        ...Object.fromEntries(
          Object.keys(governanceCasesOf(estate[0])).map((kind) => [
            kind,
            estate.reduce((n, s) => n + (governanceCasesOf(s)[kind] ?? 0), 0),
          ]),
        ),
      };
      // Every occurrence is counted in its case, and each (subject, rule, application) has one case.
      const occurrencesByKind: Record<string, number> = {};
      for (const item of items) occurrencesByKind[item.kind] = (occurrencesByKind[item.kind] ?? 0) + item.occurrences;
      expect(occurrencesByKind).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
      expect(items.some((item) => item.occurrences > 1)).toBe(true);
      expect(new Set(items.map((item) => item.itemId)).size).toBe(items.length);
      expect(new Set(items.map((item) => `${item.subjectId} ${item.kind} ${item.applicationId}`)).size).toBe(items.length);
      // The default order, page after page: the most severe first, then the oldest.
      const order = items.map((item) =>
        [3 - ['low', 'medium', 'high', 'critical'].indexOf(item.severity), item.occurredAt, item.itemId].join(' '),
      );
      expect(order).toEqual([...order].sort());
      expect(new Set(items.map((item) => item.severity)).size).toBeGreaterThan(1);

      const typeAt = new Map(stored.map((event) => [`${event.streamId}@${event.revision}`, [event.type, event.position]]));
      const sourceTypes: Record<string, string[]> = {
        fallback: ['assurance.fallback.used'],
        recovery: ['assurance.recovery.completed', 'assurance.recovery.failed'],
        breakglass: ['assurance.breakglass.used'],
        'policy-violation': ['assurance.authentication.evaluated'],
        'enrollment-below-required-assurance': ['assurance.authenticator.enrolled'],
        'assisted-recovery': ['assurance.recovery.completed'],
        'hidden-password-dependence': ['assurance.recovery.completed', 'assurance.fallback.used'],
        'recovery-weaker-than-primary': ['assurance.recovery.completed'],
      };
      for (const item of items) {
        expect(item.source).toEqual(item.sources[item.sources.length - 1]);
        expect(item.sources).toHaveLength(Math.min(item.occurrences, 20));
        for (const source of item.sources) {
          expect(source.stream).toBe(`subject-${item.subjectId}`);
          const [type, position] = typeAt.get(`${source.stream}@${source.revision}`)!;
          expect(sourceTypes[item.kind]).toContain(type);
          expect(source.position).toBe(position);
        }
        expect(item.ageSeconds).toBeGreaterThan(0);
      }

      const leaky = await ledger.get(`/v1/reviews?kind=fallback&applicationId=${LEAKY_APPLICATION}&limit=500`);
      const leakyFallbacks = estate.flatMap((s) => s.fallbacks.map((f) => ({ ...f, subjectId: s.subjectId })));
      const inLeaky = leakyFallbacks.filter((f) => f.applicationId === LEAKY_APPLICATION);
      expect(leaky.body.items.reduce((n: number, item: any) => n + item.occurrences, 0)).toBe(inLeaky.length);
      expect(leaky.body.items).toHaveLength(new Set(inLeaky.map((f) => f.subjectId)).size);
    });

    it('reports the estate posture, ranking the leaky application first', async () => {
      const { status, body } = await ledger.get('/v1/posture');
      expect(status).toBe(200);
      const succeeded = estate.flatMap((s) =>
        s.authentications.filter((a) => a.outcome === 'succeeded').map((a) => ({ subject: s, ...a })),
      );
      expect(body.estate.subjects).toMatchObject({
        subjects: SUBJECTS,
        passwordless: estate.filter(isPasswordless).length,
        phishingResistantCapable: estate.filter(isPhishingResistantCapable).length,
        passwordlessShare: estate.filter(isPasswordless).length / SUBJECTS,
      });
      expect(body.estate.authentications).toBe(succeeded.length);
      expect(body.estate.authenticationsByChannel).toEqual(countBy(succeeded, (a) => a.channel));
      expect(body.estate.authenticationsByAal).toEqual(countBy(succeeded, (a) => String(verdictOf(a.subject, a.revision)!.achievedAal)));

      for (const applicationId of Object.keys(APPLICATIONS)) {
        const authentications = succeeded.filter((a) => a.applicationId === applicationId);
        const fallbacks = estate.flatMap((s) => s.fallbacks).filter((f) => f.applicationId === applicationId).length;
        const users = estate.filter((s) => s.authentications.some((a) => a.outcome === 'succeeded' && a.applicationId === applicationId));
        const violations = authentications.filter((a) => verdictOf(a.subject, a.revision)!.verdict === 'violation').length;
        expect(body.applications.find((app: any) => app.applicationId === applicationId)).toMatchObject({
          authentications: authentications.length,
          fallbacks,
          violations,
          fallbackRate: fallbacks / Math.max(authentications.length, fallbacks),
          violationRate: violations / authentications.length,
          subjects: { subjects: users.length, passwordless: users.filter(isPasswordless).length },
        });
      }
      expect(body.applications[0].applicationId).toBe(LEAKY_APPLICATION);

      const completed = estate.flatMap((s) => s.recoveries).filter((r) => r.phase === 'completed');
      expect(
        Object.fromEntries(
          Object.entries(body.recoveries.byMethod)
            .map(([method, phases]: [string, any]) => [method, phases.completed])
            .filter(([, n]) => n > 0),
        ),
      ).toEqual(countBy(completed, (r) => r.method));
      expect(body.recoveries.passwordOrKnowledgeShare).toBeCloseTo(
        completed.filter((r) => r.method === 'password-reset' || r.method === 'help-desk').length / completed.length,
      );
      // Open cases, as the queue lists them: fewer than the occurrences, which repeat within a case.
      let openCases = 0;
      let cursor: string | null = null;
      do {
        const page: { body: { items: unknown[]; nextCursor: string | null } } = await ledger.get(
          `/v1/reviews?status=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
        openCases += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(body.openReviews.open).toBe(openCases);
      expect(openCases).toBeLessThan(estate.reduce((n, s) => n + openItemsOf(s), 0));
      expect(Object.values(body.openReviews.byAge).reduce((a: number, b: any) => a + b, 0)).toBe(body.openReviews.open);

      const day = await ledger.get('/v1/posture?from=2026-11-03T00:00:00Z&to=2026-11-04T00:00:00Z');
      const onDay = succeeded.filter((a) => a.at.startsWith('2026-11-03'));
      expect(day.body.estate.authentications).toBe(onDay.length);
      expect(day.body.estate.fallbacks).toBe(estate.flatMap((s) => s.fallbacks).filter((f) => f.at.startsWith('2026-11-03')).length);
    });

    it('holds the same content as a clean rebuild from position 0', async () => {
      const live = await ledger.get('/v1/projections/checksums');
      const clean = new SqliteReadModelStore({ path: ':memory:' });
      try {
        const rebuilt = await new ProjectionRunner(store, clean).catchUp();
        expect(rebuilt).toEqual({ position: live.body.position, eventsApplied: stored.length });
        expect((await clean.checksums()).value).toEqual(live.body.checksums);
      } finally {
        await clean.close();
      }
      const overview = await ledger.get('/v1/projections');
      for (const projection of overview.body.projections) {
        expect(projection).toMatchObject({ checkpoint: live.body.position, eventsApplied: stored.length, status: 'live' });
      }
    });
  });
}

describeEstateOn('SQLite', async () => {
  const ledger = await startLedger();
  return { ledger, dispose: () => ledger.stop() };
});

describeEstateOn('EventStoreDB through the gRPC test double', async () => {
  const double: EventStoreDbDouble = await startEventStoreDbDouble({ batchAppend: true });
  const ledger = await startLedger({ LEDGER_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: double.connectionString });
  return {
    ledger,
    dispose: async () => {
      await ledger.stop();
      await double.stop();
    },
  };
});
