import { randomUUID } from 'node:crypto';
import { reviewCaseStream } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { CloudEventBody } from '../support/cloud-events';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

function breakglass(subject: string, time: string): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://pam.example.com',
    type: 'assurance.breakglass.used',
    subject,
    time,
    data: { accountId: 'emergency-admin', reason: 'IdP outage' },
  };
}

describe('bulk actions on review cases (issue 16)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger();
  });
  afterAll(() => ledger.stop());

  /** One break-glass case for each of `count` new subjects; answers their case ids. */
  async function openCases(prefix: string, count: number): Promise<string[]> {
    const subjects = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    const written = await ledger.post(
      subjects.map((subject) => breakglass(subject, '2026-11-02T03:00:00Z')),
      'application/cloudevents-batch+json',
    );
    expect(written.status).toBe(201);
    const position = Math.max(...written.body.results.map((result: { position: number }) => result.position));
    await ledger.get(`/v1/reviews?minPosition=${position}&limit=1`);
    return subjects.map((subject) => `${subject}~breakglass`);
  }

  const bulk = (body: unknown, as: 'reviewer' | 'helpdesk' = 'reviewer') => ledger.request('POST', '/v1/reviews/bulk', { body, as });

  it('resolves 100 selected cases with one reason: 100 events, one batch id, each in its case stream', async () => {
    const caseIds = await openCases(`bulk-${randomUUID().slice(0, 8)}`, 100);
    const answer = await bulk({ action: 'resolve', caseIds, outcome: 'accepted-risk', note: 'outage drill, documented in INC-9' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 100, refused: 0, batchId: expect.any(String) });

    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const events = (await Promise.all(caseIds.map((caseId) => store.readStream(reviewCaseStream(caseId))))).flat();
    expect(events).toHaveLength(100);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['assurance.review.resolved']));
    expect(new Set(events.map((event) => (event.data as { batchId?: string }).batchId))).toEqual(new Set([answer.body.batchId]));
    expect(new Set(events.map((event) => (event.data as { note: string }).note))).toEqual(new Set(['outage drill, documented in INC-9']));

    const resolved = await ledger.get(`/v1/reviews?status=resolved&severity=critical&limit=500&minPosition=${answer.body.position}`);
    const ours = resolved.body.items.filter((item: { itemId: string }) => caseIds.includes(item.itemId));
    expect(ours).toHaveLength(100);
    expect(ours.every((item: any) => item.actions[0].batchId === answer.body.batchId)).toBe(true);
  });

  it('acts on a filter, applies the single-action rules per case, and reports each refusal', async () => {
    const prefix = `filter-${randomUUID().slice(0, 8)}`;
    const caseIds = await openCases(prefix, 3);
    // One case already acknowledged by someone else: a second acknowledgement is refused for it alone.
    const first = await ledger.request('POST', `/v1/reviews/${encodeURIComponent(caseIds[0])}/acknowledge`, { body: {}, as: 'reviewer' });
    expect(first.status).toBe(200);
    const answer = await bulk({ action: 'acknowledge', caseIds: [...caseIds, `${prefix}-none~breakglass`] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 2, refused: 2 });
    expect(
      answer.body.results.filter((result: any) => !result.recorded).map((result: any) => [result.caseId, result.status, result.code]),
    ).toEqual([
      [caseIds[0], 409, 'case-already-acknowledged'],
      [`${prefix}-none~breakglass`, 404, 'not-found'],
    ]);

    // A filter selects from the queue as the API reads it: wait until it holds the acknowledgements.
    const acknowledged = await ledger.get(`/v1/reviews?status=acknowledged&limit=500&minPosition=${answer.body.position}`);
    const byBatch = acknowledged.body.items.filter((item: any) =>
      item.actions.some((action: any) => action.batchId === answer.body.batchId),
    );
    expect(byBatch.map((item: any) => item.itemId).sort()).toEqual([caseIds[1], caseIds[2]]);
    const escalated = await bulk({ action: 'escalate', filter: { status: 'acknowledged', severity: 'critical' }, reason: 'outage review' });
    expect(escalated.status).toBe(200);
    const ours = escalated.body.results.filter((result: any) => result.caseId.startsWith(prefix));
    expect(ours.map((result: any) => [result.caseId, result.recorded, result.status])).toEqual(
      expect.arrayContaining(caseIds.map((caseId) => [caseId, true, 'escalated'])),
    );
  });

  it('lets a reviewer take a case, another take it over, and the queue filter by who holds it', async () => {
    const [first, second] = await openCases(`take-${randomUUID().slice(0, 8)}`, 2);
    const take = (caseId: string, as: 'reviewer' | 'admin' | 'helpdesk') =>
      ledger.request('POST', `/v1/reviews/${encodeURIComponent(caseId)}/take`, { body: {}, as });

    const taken = await take(first, 'reviewer');
    expect(taken.status).toBe(200);
    // The assignee is the caller's key, whatever the body says.
    expect(taken.body).toMatchObject({ caseId: first, status: 'open', assignee: 'test-reviewer' });
    const again = await take(first, 'reviewer');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('case-already-assigned');

    const mine = await ledger.get(`/v1/reviews?assignee=test-reviewer&limit=500&minPosition=${taken.body.position}`);
    expect(mine.body.items.map((item: { itemId: string }) => item.itemId)).toContain(first);
    expect(mine.body.items.every((item: { assignee: string }) => item.assignee === 'test-reviewer')).toBe(true);
    const nobodys = await ledger.get(`/v1/reviews?unassigned=true&kind=breakglass&limit=500`);
    const unassignedIds = nobodys.body.items.map((item: { itemId: string }) => item.itemId);
    expect(unassignedIds).toContain(second);
    expect(unassignedIds).not.toContain(first);

    const takenOver = await take(first, 'admin');
    expect(takenOver.body).toMatchObject({ assignee: 'test-admin' });
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const history = await store.readStream(reviewCaseStream(first));
    expect(history.map((event) => [event.type, event.data])).toEqual([
      ['assurance.review.assigned', expect.objectContaining({ assignee: 'test-reviewer' })],
      ['assurance.review.assigned', expect.objectContaining({ assignee: 'test-admin', previousAssignee: 'test-reviewer' })],
    ]);
    const admins = await ledger.get(`/v1/reviews?assignee=test-admin&limit=500&minPosition=${takenOver.body.position}`);
    expect(admins.body.items.map((item: { itemId: string }) => item.itemId)).toContain(first);

    // Acknowledging a case nobody holds makes it the acknowledger's.
    const acknowledged = await ledger.request('POST', `/v1/reviews/${encodeURIComponent(second)}/acknowledge`, {
      body: {},
      as: 'reviewer',
    });
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', assignee: 'test-reviewer' });

    expect((await take(second, 'helpdesk')).status).toBe(403);
    const both = await ledger.get('/v1/reviews?assignee=test-reviewer&unassigned=true');
    expect(both.status).toBe(400);
    expect(both.body.errors.map((error: { field: string }) => error.field)).toContain('unassigned');
  });

  it('takes every selected case for the caller in one bulk action', async () => {
    const caseIds = await openCases(`bulktake-${randomUUID().slice(0, 8)}`, 3);
    const answer = await bulk({ action: 'take', caseIds }, 'reviewer');
    expect(answer.body).toMatchObject({ recorded: 3, refused: 0 });
    expect(answer.body.results.map((result: { assignee?: string; status: string }) => result.status)).toEqual(['open', 'open', 'open']);
    const held = await ledger.get(`/v1/reviews?assignee=test-reviewer&limit=500&minPosition=${answer.body.position}`);
    expect(held.body.items.map((item: { itemId: string }) => item.itemId)).toEqual(expect.arrayContaining(caseIds));
  });

  it('refuses a filter that selects more than 500 cases, recording nothing', async () => {
    await openCases(`many-${randomUUID().slice(0, 8)}`, 501);
    const acknowledgedCount = async () => (await ledger.get('/v1/reviews?status=acknowledged&limit=500')).body.items.length;
    const acknowledgedBefore = await acknowledgedCount();
    const answer = await bulk({ action: 'acknowledge', filter: { status: 'open', kind: 'breakglass' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'filter', reason: expect.stringMatching(/more than 500/) })]);
    expect(await acknowledgedCount()).toBe(acknowledgedBefore);
  });

  it('refuses a malformed or oversized request with a 400 naming the field, and the help desk with 403', async () => {
    const cases: Array<[unknown, string]> = [
      [{ action: 'resolve', caseIds: ['a~breakglass'], note: 'x' }, 'outcome'],
      [{ action: 'resolve', caseIds: ['a~breakglass'], outcome: 'remediated' }, 'note'],
      [{ action: 'escalate', caseIds: ['a~breakglass'] }, 'reason'],
      [{ action: 'close', caseIds: ['a~breakglass'] }, 'action'],
      [{ action: 'acknowledge' }, 'caseIds'],
      [{ action: 'acknowledge', caseIds: ['not a case'] }, 'caseIds'],
      [{ action: 'acknowledge', caseIds: Array.from({ length: 501 }, (_, i) => `s${i}~breakglass`) }, 'caseIds'],
      [{ action: 'acknowledge', caseIds: ['a~breakglass'], filter: { status: 'open' } }, 'filter'],
      [{ action: 'acknowledge', filter: { status: 'resolved' } }, 'filter.status'],
    ];
    for (const [body, field] of cases) {
      const response = await bulk(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect((await bulk({ action: 'acknowledge', caseIds: ['a~breakglass'] }, 'helpdesk')).status).toBe(403);
  });
});
