import { randomUUID } from 'node:crypto';
import { RunningLedger, startLedger } from '../support/ledger-test-app';
import { authenticationSucceeded, CloudEventBody, enrolledEvent } from '../support/cloud-events';

const BATCH = 'application/cloudevents-batch+json';

function fallbackUsed(subject: string, applicationId: string, time: string): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type: 'assurance.fallback.used',
    subject,
    time,
    data: { applicationId, channel: 'web', intendedMethod: 'passkey-synced', usedMethod: 'password', reason: 'passkey not on this laptop' },
  };
}

function succeededAt(subject: string, applicationId: string, time: string): CloudEventBody {
  return authenticationSucceeded(subject, {
    time,
    data: { channel: 'web', applicationId, methods: [{ kind: 'security-key', amr: ['hwk'] }] },
  });
}

describe('read-model API', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_CONSISTENCY_WAIT_MS: '300' });
  });
  afterAll(() => ledger.stop());

  it('returns state that includes the write the caller just made, given its position', async () => {
    const subject = `rw-${randomUUID()}`;
    const enrollment = enrolledEvent(subject);
    const written = await ledger.post(enrollment);
    expect(written.status).toBe(201);
    const position = written.body.results[0].position;

    const read = await ledger.get(`/v1/subjects/${subject}?minPosition=${position}`);
    expect(read.status).toBe(200);
    expect(read.body.position).toBeGreaterThanOrEqual(position);
    expect(read.body.authenticators).toEqual([
      expect.objectContaining({
        authenticatorId: enrollment.data.authenticatorId,
        status: 'active',
        kind: 'security-key',
        phishingResistant: true,
      }),
    ]);
    expect(read.body.summary).toEqual({ passwordless: true, phishingResistantCapable: true, highestAal: expect.any(Number) });

    const revoke = await ledger.post({
      specversion: '1.0',
      id: randomUUID(),
      source: 'https://idp.example.com',
      type: 'assurance.authenticator.revoked',
      subject,
      time: '2026-11-03T10:00:00Z',
      data: { authenticatorId: enrollment.data.authenticatorId, reason: 'lost' },
    });
    const afterRevoke = await ledger.get(`/v1/subjects/${subject}?minPosition=${revoke.body.results[0].position}`);
    expect(afterRevoke.body.authenticators).toEqual([
      expect.objectContaining({
        authenticatorId: enrollment.data.authenticatorId,
        status: 'revoked',
        revokedAt: '2026-11-03T10:00:00Z',
        revocationReason: 'lost',
      }),
    ]);
    expect(afterRevoke.body.summary).toEqual({ passwordless: false, phishingResistantCapable: false, highestAal: 0 });
  });

  it('answers 503 with the reached position instead of stale data when minPosition is not reached in time', async () => {
    const started = Date.now();
    const response = await ledger.get(`/v1/subjects/anyone?minPosition=${Number.MAX_SAFE_INTEGER}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toMatchObject({ code: 'read-model-behind', minPosition: Number.MAX_SAFE_INTEGER, position: expect.any(Number) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('answers 404 for an unknown subject and 400 naming the field for bad parameters', async () => {
    expect((await ledger.get(`/v1/subjects/nobody-${randomUUID()}`)).status).toBe(404);
    const cases: Array<[string, string]> = [
      ['/v1/subjects/alice?minPosition=-1', 'minPosition'],
      ['/v1/subjects?limit=0', 'limit'],
      ['/v1/subjects?cursor=not-a-cursor', 'cursor'],
      ['/v1/subjects?prefix=a%20b', 'prefix'],
      ['/v1/reviews?kind=coffee', 'kind'],
      ['/v1/reviews?status=closed', 'status'],
      ['/v1/reviews?sort=size', 'sort'],
      ['/v1/posture?from=yesterday', 'from'],
      ['/v1/posture?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
    ];
    for (const [path, field] of cases) {
      const response = await ledger.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.errors).toEqual([expect.objectContaining({ field, reason: expect.any(String) })]);
    }
  });

  it('searches subjects by id prefix, page by page', async () => {
    const prefix = `search-${randomUUID().slice(0, 8)}-`;
    const ids = Array.from({ length: 7 }, (_, i) => `${prefix}${i}`);
    const written = await ledger.post(
      ids.map((id) => enrolledEvent(id)),
      BATCH,
    );
    const position = Math.max(...written.body.results.map((r: { position: number }) => r.position));
    await ledger.post(enrolledEvent(`${prefix.slice(0, -1)}x`)); // shares all but the last character of the prefix

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v1/subjects?prefix=${prefix}&limit=3&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await ledger.get(query);
      expect(page.status).toBe(200);
      seen.push(...page.body.subjects.map((s: { subjectId: string }) => s.subjectId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('lists review items with their age and a link to the source event, filtered, sorted and paginated', async () => {
    // Three subjects: one subject's fallbacks in one application are one case.
    const subject = `review-${randomUUID()}`;
    const app = `reviewed-app-${randomUUID().slice(0, 8)}`;
    const times = ['2026-10-01T08:00:00Z', '2026-11-20T08:00:00Z', '2026-11-10T08:00:00Z'];
    const written = await ledger.post(
      times.map((time, i) => fallbackUsed(i === 0 ? subject : `${subject}-${i}`, app, time)),
      BATCH,
    );
    const position = Math.max(...written.body.results.map((r: { position: number }) => r.position));

    const oldestFirst = await ledger.get(
      `/v1/reviews?status=open&kind=fallback&applicationId=${app}&sort=-age&minPosition=${position}&limit=2`,
    );
    expect(oldestFirst.status).toBe(200);
    expect(oldestFirst.body.items.map((item: { occurredAt: string }) => item.occurredAt)).toEqual([
      '2026-10-01T08:00:00.000Z',
      '2026-11-10T08:00:00.000Z',
    ]);
    const [oldest] = oldestFirst.body.items;
    expect(oldest).toMatchObject({ kind: 'fallback', status: 'open', subjectId: subject, applicationId: app, channel: 'web' });
    expect(oldest.ageSeconds).toBeGreaterThan(Math.floor((Date.now() - Date.parse('2026-10-01T08:00:00Z')) / 1000) - 5);
    expect(oldest.source).toEqual({ stream: `subject-${subject}`, revision: 0, position: written.body.results[0].position });
    const sourceEvent = await ledger.get(oldest.sourceHref);
    expect(sourceEvent.body.events[0]).toMatchObject({ revision: 0, type: 'assurance.fallback.used', id: written.body.results[0].id });

    const rest = await ledger.get(`/v1/reviews?kind=fallback&applicationId=${app}&sort=-age&limit=2&cursor=${oldestFirst.body.nextCursor}`);
    expect(rest.body.items.map((item: { occurredAt: string }) => item.occurredAt)).toEqual(['2026-11-20T08:00:00.000Z']);
    expect(rest.body.nextCursor).toBeNull();

    const newestFirst = await ledger.get(`/v1/reviews?kind=fallback&applicationId=${app}&sort=age`);
    expect(newestFirst.body.items.map((item: { occurredAt: string }) => item.occurredAt)).toEqual([
      '2026-11-20T08:00:00.000Z',
      '2026-11-10T08:00:00.000Z',
      '2026-10-01T08:00:00.000Z',
    ]);
    const subjectView = await ledger.get(`/v1/subjects/${subject}`);
    // A fallback to a password is also a hidden password dependence: two cases per fallback.
    expect(subjectView.body.openReviewItems.map((item: { kind: string }) => item.kind).sort()).toEqual([
      'fallback',
      'hidden-password-dependence',
    ]);
  });

  it('ranks a deliberately leaky application first in the posture', async () => {
    const tag = randomUUID().slice(0, 8);
    const leaky = `leaky-${tag}`;
    const tidy = `tidy-${tag}`;
    const events: CloudEventBody[] = [];
    for (let i = 0; i < 10; i++) {
      const subject = `posture-${tag}-${i}`;
      events.push(succeededAt(subject, leaky, '2026-11-05T10:15:00Z'), succeededAt(subject, tidy, '2026-11-05T10:20:00Z'));
      if (i < 8) events.push(fallbackUsed(subject, leaky, '2026-11-05T10:14:00Z'));
      if (i === 0) events.push(fallbackUsed(subject, tidy, '2026-11-05T10:19:00Z'));
    }
    const written = await ledger.post(events, BATCH);
    const position = Math.max(...written.body.results.map((r: { position: number }) => r.position));

    const posture = await ledger.get(`/v1/posture?from=2026-11-05T10:00:00Z&to=2026-11-05T11:00:00Z&minPosition=${position}`);
    expect(posture.status).toBe(200);
    expect(posture.body.window).toEqual({ from: '2026-11-05T10:00:00.000Z', to: '2026-11-05T11:00:00.000Z' });
    const ours = posture.body.applications.filter((app: { applicationId: string }) => app.applicationId.endsWith(tag));
    expect(ours.map((app: { applicationId: string; fallbackRate: number }) => [app.applicationId, app.fallbackRate])).toEqual([
      [leaky, 0.8],
      [tidy, 0.1],
    ]);
    expect(posture.body.applications[0].applicationId).toBe(leaky);

    const otherWindow = await ledger.get('/v1/posture?from=2026-11-06T00:00:00Z&to=2026-11-07T00:00:00Z');
    expect(otherWindow.body.applications.find((app: { applicationId: string }) => app.applicationId === leaky)?.fallbacks ?? 0).toBe(0);
  });

  it('shows each projection with its checkpoint, lag and status', async () => {
    const written = await ledger.post(enrolledEvent(`status-${randomUUID()}`));
    const position = written.body.results[0].position;
    await ledger.get(`/v1/projections/checksums?minPosition=${position}`);
    const overview = await ledger.get('/v1/projections');
    expect(overview.status).toBe(200);
    expect(overview.body.projections.map((p: { name: string }) => p.name).sort()).toEqual([
      'authentications',
      'estate-posture',
      'review-queue',
      'subject-state',
    ]);
    for (const projection of overview.body.projections) {
      expect(projection).toMatchObject({
        checkpoint: position,
        lag: { events: 0, eventsAtLeast: false, seconds: 0 },
        status: 'live',
        lastError: null,
      });
    }
  });
});
