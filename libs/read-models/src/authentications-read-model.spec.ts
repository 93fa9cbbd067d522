import type { RecordedEvent } from '@ledger/event-store';
import { LedgerProjections } from './ledger-projections';
import { AuthenticationSearch } from './read-model-store.port';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store';

let position = 0;
const revisions = new Map<string, number>();

function stored(subject: string, type: string, data: Record<string, unknown>, time: string): RecordedEvent {
  const streamId = `subject-${subject}`;
  const revision = revisions.get(streamId) ?? 0;
  revisions.set(streamId, revision + 1);
  position++;
  return { id: `e${position}`, streamId, revision, position, type, data, metadata: { schemaVersion: 1, time }, recordedAt: new Date(time) };
}

/** An authentication and, as ingestion writes it, the ledger's verdict right after it. */
function judgedAuthentication(
  subject: string,
  applicationId: string,
  channel: string,
  time: string,
  achievedAal: number,
  policyVersion = 1,
): RecordedEvent[] {
  const authentication = stored(
    subject,
    'assurance.authentication.succeeded',
    { applicationId, channel, methods: [{ kind: 'security-key', authenticatorId: 'k1', amr: ['hwk'] }], sessionId: 's1' },
    time,
  );
  const requiredAal = 2;
  const verdict = stored(
    subject,
    'assurance.authentication.evaluated',
    {
      authentication: { revision: authentication.revision, id: authentication.id, source: 'https://idp.example.com', time },
      applicationId,
      channel,
      requiredAal,
      achievedAal,
      phishingResistant: achievedAal >= 2,
      amr: ['hwk', 'mfa'],
      acr: [`aal${achievedAal}`],
      verdict: achievedAal >= requiredAal ? 'compliant' : 'violation',
      reasons: [],
      policyVersion,
      decisionPath: [{ rule: 'required-aal', detail: `${channel} requires AAL ${requiredAal}` }],
    },
    time,
  );
  return [authentication, verdict];
}

describe('the authentications read model', () => {
  let readModels: SqliteReadModelStore;
  let projections: LedgerProjections;

  beforeEach(() => {
    position = 0;
    revisions.clear();
    readModels = new SqliteReadModelStore({ path: ':memory:' });
    projections = new LedgerProjections(readModels);
  });
  afterEach(() => readModels.close());

  const page = async (search: Partial<AuthenticationSearch>) => (await readModels.listAuthentications({ limit: 100, ...search })).value;

  it('keeps one row per authentication with its verdict, whether the verdict comes in the same commit or a later one', async () => {
    const [first, firstVerdict] = judgedAuthentication('alice', 'payroll', 'web', '2026-03-01T09:00:00Z', 3);
    const [second, secondVerdict] = judgedAuthentication('alice', 'payroll', 'web', '2026-03-02T09:00:00Z', 1, 2);
    await projections.add([first, firstVerdict, second]);
    await projections.commit();
    expect((await page({})).map((row) => row.evaluation)).toEqual([expect.objectContaining({ verdict: 'compliant' }), null]);

    await projections.add([secondVerdict]);
    await projections.commit();
    const rows = await page({});
    expect(rows).toEqual([
      {
        subjectId: 'alice',
        occurredAt: '2026-03-01T09:00:00.000Z',
        applicationId: 'payroll',
        channel: 'web',
        methods: [{ kind: 'security-key', authenticatorId: 'k1', amr: ['hwk'] }],
        sessionId: 's1',
        source: { stream: 'subject-alice', revision: 0, position: first.position },
        evaluation: {
          amr: ['hwk', 'mfa'],
          acr: ['aal3'],
          achievedAal: 3,
          requiredAal: 2,
          phishingResistant: true,
          verdict: 'compliant',
          reasons: [],
          policyVersion: 1,
          decisionPath: [{ rule: 'required-aal', detail: 'web requires AAL 2' }],
          source: { revision: 1, position: firstVerdict.position },
        },
      },
      expect.objectContaining({
        occurredAt: '2026-03-02T09:00:00.000Z',
        evaluation: expect.objectContaining({ verdict: 'violation', policyVersion: 2 }),
      }),
    ]);
  });

  it('keeps the first verdict when an authentication is judged again', async () => {
    const [authentication, verdict] = judgedAuthentication('bob', 'crm', 'web', '2026-03-01T09:00:00Z', 2);
    const again = {
      ...verdict,
      position: verdict.position + 1,
      revision: verdict.revision + 1,
      data: { ...verdict.data, verdict: 'violation', policyVersion: 9 },
    };
    await projections.add([authentication, verdict, again]);
    await projections.commit();
    await projections.add([{ ...again, position: again.position + 1, revision: again.revision + 1 }]);
    await projections.commit();
    expect((await page({}))[0].evaluation).toMatchObject({ verdict: 'compliant', policyVersion: 1 });
  });

  describe('filters and pages', () => {
    beforeEach(async () => {
      const events = [
        ...judgedAuthentication('alice', 'payroll', 'web', '2026-03-01T09:00:00Z', 3),
        ...judgedAuthentication('bob', 'payroll', 'vpn', '2026-03-01T10:00:00Z', 1),
        ...judgedAuthentication('alice', 'crm', 'saas', '2026-03-02T09:00:00Z', 2),
        ...judgedAuthentication('carol', 'payroll', 'web', '2026-03-03T09:00:00Z', 2),
        // Same instant as carol's: the position breaks the tie, so pages never skip or repeat.
        ...judgedAuthentication('dave', 'payroll', 'web', '2026-03-03T09:00:00Z', 2),
      ];
      events.push(
        stored(
          'erin',
          'assurance.authentication.succeeded',
          { applicationId: 'payroll', channel: 'web', methods: [{ kind: 'password', amr: ['pwd'] }] },
          '2026-03-04T09:00:00Z',
        ),
      );
      await projections.add(events);
      await projections.commit();
    });

    it.each<[string, Partial<AuthenticationSearch>, string[]]>([
      ['no filter', {}, ['alice', 'bob', 'alice', 'carol', 'dave', 'erin']],
      ['application', { applicationId: 'payroll' }, ['alice', 'bob', 'carol', 'dave', 'erin']],
      ['channel', { channel: 'web' }, ['alice', 'carol', 'dave', 'erin']],
      ['subject', { subjectId: 'alice' }, ['alice', 'alice']],
      [
        'window, both ends inclusive',
        { from: '2026-03-01T10:00:00.000Z', to: '2026-03-03T09:00:00.000Z' },
        ['bob', 'alice', 'carol', 'dave'],
      ],
      ['violations', { verdict: 'violation' }, ['bob']],
      ['unevaluated', { verdict: 'unevaluated' }, ['erin']],
      ['lowest achieved AAL', { minAal: 3 }, ['alice']],
      [
        'combined',
        { applicationId: 'payroll', channel: 'web', verdict: 'compliant', minAal: 2, from: '2026-03-02T00:00:00.000Z' },
        ['carol', 'dave'],
      ],
    ])('%s', async (_, filter, subjects) => {
      expect((await page(filter)).map((row) => row.subjectId)).toEqual(subjects);
      expect((await readModels.countAuthentications(filter)).value).toBe(subjects.length);
    });

    it('walks every row exactly once with a keyset cursor, ties included', async () => {
      const seen: number[] = [];
      let after: AuthenticationSearch['after'];
      for (;;) {
        const rows = await page({ limit: 2, after });
        if (rows.length === 0) break;
        seen.push(...rows.map((row) => row.source.position));
        const last = rows[rows.length - 1];
        after = { occurredAt: last.occurredAt, position: last.source.position };
      }
      expect(seen).toEqual((await page({})).map((row) => row.source.position));
      expect(new Set(seen).size).toBe(6);
    });
  });

  // Every filter combination must walk an index in keyset order: no full scan, no sort of the matches.
  it.each<[string, AuthenticationSearch, RegExp]>([
    ['no filter', { limit: 100 }, /authentications_by_time/],
    [
      'a window',
      { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', limit: 100 },
      /authentications_by_time \(occurred_at>\? AND occurred_at<\?\)/,
    ],
    [
      'an application and a window',
      { applicationId: 'payroll', from: '2026-01-01T00:00:00.000Z', limit: 100 },
      /authentications_by_application \(application_id=\? AND occurred_at>\?\)/,
    ],
    ['a subject', { subjectId: 'alice', limit: 100 }, /authentications_by_subject \(subject_id=\?/],
    [
      'an application and a verdict',
      { applicationId: 'prod-bastion', verdict: 'compliant', minAal: 2, limit: 100 },
      /authentications_by_application_verdict \(application_id=\? AND verdict=\?\)/,
    ],
    ['a verdict and a channel', { verdict: 'violation', channel: 'vpn', limit: 100 }, /authentications_by_verdict \(verdict=\?/],
    [
      'an application, channel, verdict and minAal',
      { applicationId: 'payroll', channel: 'web', verdict: 'compliant', minAal: 2, limit: 100 },
      /authentications_by_(application|verdict)/,
    ],
    [
      'a page after a cursor',
      { applicationId: 'payroll', after: { occurredAt: '2026-01-01T00:00:00.000Z', position: 5 }, limit: 100 },
      /authentications_by_application \(application_id=\? AND /,
    ],
  ])('serves %s from an index in keyset order', (_, search, index) => {
    const plan = readModels.explainAuthentications('page', search).join('\n');
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/^SCAN authentications$/m);
    expect(readModels.explainAuthentications('count', search).join('\n')).toMatch(/USING (COVERING )?INDEX authentications_by_/);
  });

  it('is part of the checksums, and a replay gives the same one', async () => {
    const events = [
      ...judgedAuthentication('alice', 'payroll', 'web', '2026-03-01T09:00:00Z', 3),
      ...judgedAuthentication('bob', 'crm', 'vpn', '2026-03-01T10:00:00Z', 1),
    ];
    await projections.add(events.slice(0, 3));
    await projections.commit();
    await projections.add(events.slice(3));
    await projections.commit();
    const replayed = new SqliteReadModelStore({ path: ':memory:' });
    const replay = new LedgerProjections(replayed);
    await replay.add(events);
    await replay.commit();
    const [live, again] = [(await readModels.checksums()).value, (await replayed.checksums()).value];
    expect(Object.keys(live)).toContain('authentications');
    expect(again).toEqual(live);
    await replayed.close();
  });
});
