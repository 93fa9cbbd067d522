import { decide, evolve, initialSubjectState, SubjectState, validateEventData } from '@ledger/domain';
// The ingestion API's own envelope check, so the generator cannot drift from what the server accepts.
import { parseCloudEvent } from '../../apps/ledger-api/src/ingestion/record-events/cloud-event.dto';
import {
  EstateCloudEvent,
  ESTATE_APPLICATIONS,
  generateEstate,
  generateSubjectHistory,
  LEAKY_LEGACY_APPLICATION_ID,
  summarizeEstate,
} from '../../libs/estate-generator/src';

const SEED = 20261129;
const estate = [...generateEstate({ seed: SEED, subjects: 100 })];

function eventsBySubject(events: EstateCloudEvent[]): Map<string, EstateCloudEvent[]> {
  const bySubject = new Map<string, EstateCloudEvent[]>();
  for (const event of events) bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event]);
  return bySubject;
}

describe('generateEstate', () => {
  it('yields only events whose data the catalog accepts', () => {
    const invalid = estate
      .map((event) => ({ id: event.id, type: event.type, issues: validateEventData(event.type, event.data) }))
      .filter((result) => result.issues.length > 0);
    expect(invalid).toEqual([]);
  });

  it('yields only events whose CloudEvents envelope the ingestion API accepts', () => {
    const invalid = estate
      .map((event, index) => ({ id: event.id, issues: parseCloudEvent(JSON.parse(JSON.stringify(event)), index).issues }))
      .filter((result) => result.issues.length > 0);
    expect(invalid).toEqual([]);
  });

  it('never contradicts a subject lifecycle, in the order it yields events', () => {
    for (const [subject, events] of eventsBySubject(estate)) {
      let state: SubjectState = initialSubjectState();
      for (const event of events) {
        const command = { type: 'RecordSubjectEvent' as const, event: { type: event.type, data: event.data, time: event.time } as never };
        expect(() => {
          for (const decided of decide(command, state)) state = evolve(state, decided);
        }).not.toThrow();
      }
      expect(state.eventCount).toBe(events.length);
      expect(subject).toMatch(/^emp-\d{7}$/);
    }
  });

  it('gives every event a (source, id) of its own and keeps each subject in time order', () => {
    expect(new Set(estate.map((event) => `${event.source} ${event.id}`)).size).toBe(estate.length);
    for (const events of eventsBySubject(estate).values()) {
      const times = events.map((event) => Date.parse(event.time));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('is deterministic: the same seed gives identical output, another seed a different one', () => {
    expect(JSON.stringify([...generateEstate({ seed: SEED, subjects: 100 })])).toBe(JSON.stringify(estate));
    expect(JSON.stringify([...generateEstate({ seed: SEED + 1, subjects: 100 })])).not.toBe(JSON.stringify(estate));
  });

  it('gives a subject the same history whatever the size, window or shard of the estate', () => {
    const alone = generateSubjectHistory({ seed: SEED, subjects: 1, subjectIndex: 7 });
    const inEstate = estate.filter((event) => event.subject === 'emp-0000007');
    const inShard = [...generateEstate({ seed: SEED, subjects: 100, shard: { index: 7 % 4, count: 4 }, interleaveWindow: 1 })].filter(
      (event) => event.subject === 'emp-0000007',
    );
    expect(inEstate).toEqual(alone);
    expect(inShard).toEqual(alone);
  });

  it('splits the estate into disjoint shards that together hold all of it', () => {
    const shards = [0, 1, 2].map((index) => [...generateEstate({ seed: SEED, subjects: 100, shard: { index, count: 3 } })]);
    const subjectsPerShard = shards.map((events) => new Set(events.map((event) => event.subject)));
    expect(subjectsPerShard[0].size + subjectsPerShard[1].size + subjectsPerShard[2].size).toBe(100);
    expect(
      shards
        .flat()
        .map((event) => event.id)
        .sort(),
    ).toEqual(estate.map((event) => event.id).sort());
  });

  it('interleaves subjects in time order within a window', () => {
    const firstTen = estate.slice(0, 10);
    expect(new Set(firstTen.map((event) => event.subject)).size).toBeGreaterThan(1);
  });

  it('holds the mix an assurance report needs: methods, channels, fallbacks, recoveries and one break-glass use', () => {
    const summary = summarizeEstate(estate);
    for (const kind of ['passkey-synced', 'passkey-device-bound', 'security-key', 'push', 'push-number-match', 'sms', 'totp', 'password']) {
      expect(summary.enrollmentsByKind[kind]).toBeGreaterThan(0);
    }
    for (const channel of ['web', 'vpn', 'saas', 'privileged', 'api']) {
      expect(summary.authenticationsByChannel[channel]).toBeGreaterThan(0);
    }
    for (const method of ['help-desk', 'recovery-code', 'password-reset']) {
      expect(summary.recoveriesByMethod[method]).toBeGreaterThan(0);
    }
    expect(summary.byType['assurance.breakglass.used']).toBe(1);
    expect(summary.byType['assurance.session.started']).toBeGreaterThan(0);
    expect(summary.byType['assurance.authenticator.revoked']).toBeGreaterThan(0);

    const fallbackRate = (applicationId: string) =>
      (summary.fallbacksByApplication[applicationId] ?? 0) / summary.authenticationsByApplication[applicationId];
    const others = ESTATE_APPLICATIONS.filter((application) => application.applicationId !== LEAKY_LEGACY_APPLICATION_ID);
    const worstOther = Math.max(...others.map((application) => fallbackRate(application.applicationId)));
    expect(fallbackRate(LEAKY_LEGACY_APPLICATION_ID)).toBeGreaterThan(5 * worstOther);
  });

  it('looks like an organisation that rolled passkeys out: phishing-resistant from day one, notified bindings, few fallbacks', () => {
    const subjects = [...eventsBySubject(estate).values()];
    const enrollments = estate.filter((event) => event.type === 'assurance.authenticator.enrolled');
    const firstEnrollments = subjects.map((events) => events.find((event) => event.type === 'assurance.authenticator.enrolled')!);
    const data = (event: EstateCloudEvent) => event.data as unknown as Record<string, unknown>;
    expect(firstEnrollments.filter((event) => data(event).phishingResistant).length).toBeGreaterThanOrEqual(0.85 * subjects.length);
    expect(enrollments.filter((event) => data(event).userNotified).length).toBeGreaterThanOrEqual(0.9 * enrollments.length);

    // A binding in a session follows the sign-in that opened it, within the 10 minutes enrollment governance allows by default.
    for (const events of subjects) {
      for (const enrollment of events.filter((event) => event.type === 'assurance.authenticator.enrolled' && data(event).sessionId)) {
        const signIn = events.find(
          (event) => event.type === 'assurance.authentication.succeeded' && data(event).sessionId === data(enrollment).sessionId,
        );
        if (!signIn) throw new Error(`${enrollment.id} names session ${String(data(enrollment).sessionId)}, which no sign-in opened`);
        const elapsedMs = Date.parse(enrollment.time) - Date.parse(signIn.time);
        expect(elapsedMs).toBeGreaterThan(0);
        expect(elapsedMs).toBeLessThanOrEqual(10 * 60_000);
      }
    }

    const summary = summarizeEstate(estate);
    const fallbackShare = summary.byType['assurance.fallback.used']! / summary.byType['assurance.authentication.succeeded']!;
    expect(fallbackShare).toBeGreaterThan(0.002);
    expect(fallbackShare).toBeLessThan(0.05);
  });

  it('grows a single subject to the requested number of sign-ins without breaking its lifecycle', () => {
    const heavy = generateSubjectHistory({ seed: SEED, subjects: 1, subjectIndex: 3, authenticationsPerSubject: { min: 2000, max: 2000 } });
    expect(heavy.filter((event) => event.type === 'assurance.authentication.succeeded')).toHaveLength(2000);
    let state: SubjectState = initialSubjectState();
    for (const event of heavy) {
      for (const decided of decide(
        { type: 'RecordSubjectEvent', event: { type: event.type, data: event.data, time: event.time } as never },
        state,
      )) {
        state = evolve(state, decided);
      }
    }
    expect(state.eventCount).toBe(heavy.length);
  });
});
