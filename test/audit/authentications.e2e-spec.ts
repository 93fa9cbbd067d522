import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '@ledger/domain';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import { authenticationSucceeded, enrolledEvent } from '../support/cloud-events';

const BATCH = 'application/cloudevents-batch+json';

describe('who, by what factor, under which policy: GET /v1/audit/authentications', () => {
  let ledger: RunningLedger;
  const run = randomUUID().slice(0, 8);
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;
  let lastPosition = 0;
  let publishedAt = '';

  const authenticate = async (subject: string, applicationId: string, channel: string) => {
    const response = await ledger.post(
      authenticationSucceeded(subject, {
        time: new Date().toISOString(),
        data: {
          channel,
          applicationId,
          methods: [{ kind: 'security-key', authenticatorId: `${subject}-key`, amr: ['hwk', 'pin'] }],
          sessionId: `s-${randomUUID()}`,
        },
      }),
    );
    expect(response.status).toBe(201);
    lastPosition = Math.max(lastPosition, ...response.body.results.map((result: { position: number }) => result.position));
    return response.body.results[0];
  };
  const list = (query: string) => ledger.get(`/v1/audit/authentications?minPosition=${lastPosition}&${query}`);

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_CONSISTENCY_WAIT_MS: '300' });
    const enrolled = await ledger.post(
      [
        enrolledEvent(alice, {
          time: '2026-01-01T00:00:00Z',
          data: {
            authenticatorId: `${alice}-key`,
            kind: 'security-key',
            phishingResistant: true,
            hardwareBound: true,
            syncable: false,
            userVerification: true,
          },
        }),
        enrolledEvent(bob, {
          time: '2026-01-01T00:00:00Z',
          data: {
            authenticatorId: `${bob}-key`,
            kind: 'security-key',
            phishingResistant: true,
            hardwareBound: true,
            syncable: false,
            userVerification: true,
          },
        }),
      ],
      BATCH,
    );
    expect(enrolled.status).toBe(201);

    // Under the built-in policy 1, payroll on the web asks for the channel's default AAL.
    await authenticate(alice, `payroll-${run}`, 'web');
    await authenticate(bob, `crm-${run}`, 'vpn');

    const published = await ledger.request('PUT', '/v1/policy', {
      body: {
        expectedVersion: 1,
        policy: { ...DEFAULT_POLICY, applications: { [`payroll-${run}`]: { requiredAal: 3, tier: 'critical' } } },
      },
    });
    expect(published.status).toBe(201);
    publishedAt = published.body.effectiveFrom;
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Under version 2, payroll asks for AAL 3 whatever the channel.
    await authenticate(alice, `payroll-${run}`, 'web');
    await authenticate(bob, `payroll-${run}`, 'vpn');
  });
  afterAll(() => ledger.stop());

  it('answers one row per authentication with the policy version in force when it happened', async () => {
    const response = await list(`applicationId=payroll-${run}`);
    expect(response.status).toBe(200);
    const rows = response.body.items;
    expect(rows.map((row: any) => [row.subjectId, row.policyVersion, row.requiredAal, row.verdict])).toEqual([
      [alice, 1, 2, 'compliant'],
      [alice, 2, 3, expect.any(String)],
      [bob, 2, 3, expect.any(String)],
    ]);
    expect(Date.parse(rows[0].occurredAt)).toBeLessThan(Date.parse(publishedAt));
    expect(Date.parse(rows[1].occurredAt)).toBeGreaterThanOrEqual(Date.parse(publishedAt));
    for (const row of rows) {
      expect(row).toMatchObject({
        applicationId: `payroll-${run}`,
        methods: [{ kind: 'security-key', authenticatorId: `${row.subjectId}-key`, amr: ['hwk', 'pin'] }],
        amr: expect.arrayContaining(['hwk']),
        acr: expect.any(Array),
        achievedAal: expect.any(Number),
        decisionPath: expect.arrayContaining([expect.objectContaining({ rule: expect.any(String) })]),
        source: { stream: `subject-${row.subjectId}`, revision: expect.any(Number), position: expect.any(Number) },
        verdictSource: { revision: row.source.revision + 1, position: expect.any(Number) },
      });
      expect(row.verdict).toBe(row.achievedAal >= row.requiredAal ? 'compliant' : 'violation');
    }

    // Each row names its source event, which says the same thing in the subject's history.
    const events = (await ledger.get(rows[1].sourceHref)).body.events;
    expect(events.map((event: any) => event.type)).toEqual(['assurance.authentication.succeeded', 'assurance.authentication.evaluated']);
    expect(events[1].data).toMatchObject({
      policyVersion: 2,
      requiredAal: 3,
      achievedAal: rows[1].achievedAal,
      decisionPath: rows[1].decisionPath,
    });
  });

  it('filters by subject, channel, window, verdict and lowest AAL, and counts the same rows', async () => {
    const all = (await list(`subjectId=${bob}`)).body.items;
    expect(all.map((row: any) => [row.applicationId, row.channel])).toEqual([
      [`crm-${run}`, 'vpn'],
      [`payroll-${run}`, 'vpn'],
    ]);
    const queries: Array<[string, (row: any) => boolean]> = [
      [`subjectId=${alice}&channel=web`, (row) => row.subjectId === alice && row.channel === 'web'],
      [`subjectId=${alice}&from=${encodeURIComponent(publishedAt)}`, (row) => row.subjectId === alice && row.occurredAt >= publishedAt],
      [
        `applicationId=payroll-${run}&to=${encodeURIComponent(publishedAt)}`,
        (row) => row.applicationId === `payroll-${run}` && row.occurredAt <= publishedAt,
      ],
      [`applicationId=payroll-${run}&verdict=violation`, (row) => row.applicationId === `payroll-${run}` && row.verdict === 'violation'],
      [`subjectId=${alice}&minAal=3`, (row) => row.subjectId === alice && row.achievedAal >= 3],
    ];
    const everything = [...(await list(`subjectId=${alice}`)).body.items, ...all];
    for (const [query, expected] of queries) {
      const rows = (await list(query)).body.items;
      expect([query, rows.map((row: any) => row.source.position)]).toEqual([
        query,
        everything
          .filter(expected)
          .map((row) => row.source.position)
          .sort((a, b) => a - b),
      ]);
      const count = await ledger.get(`/v1/audit/authentications/count?${query}`);
      expect([query, count.body.count]).toEqual([query, rows.length]);
    }
  });

  it('pages with an opaque cursor until the last page', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response: any = await list(`limit=1${cursor ? `&cursor=${cursor}` : ''}&from=2026-01-01T00:00:00Z`);
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((row: any) => row.source.position));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('reads its own writes with minPosition, and answers 503 rather than stale rows', async () => {
    const carol = `carol-${run}`;
    await ledger.post(enrolledEvent(carol, { time: '2026-01-01T00:00:00Z' }));
    const written = await authenticate(carol, `wiki-${run}`, 'web');
    const read = await ledger.get(`/v1/audit/authentications?subjectId=${carol}&minPosition=${written.position}`);
    expect(read.body.position).toBeGreaterThanOrEqual(written.position);
    expect(read.body.items).toHaveLength(1);
    const behind = await ledger.get(`/v1/audit/authentications?minPosition=${Number.MAX_SAFE_INTEGER}`);
    expect(behind.status).toBe(503);
  });

  it.each([
    ['applicationId=a%20b', 'applicationId'],
    ['channel=fax', 'channel'],
    ['subjectId=%2Fetc', 'subjectId'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['verdict=maybe', 'verdict'],
    ['minAal=4', 'minAal'],
    ['minAal=two', 'minAal'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['minPosition=-1', 'minPosition'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    for (const path of ['/v1/audit/authentications', '/v1/audit/authentications/count']) {
      if (path.endsWith('count') && /^(limit|cursor)=/.test(query)) continue;
      const response = await ledger.get(`${path}?${query}`);
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });
});
