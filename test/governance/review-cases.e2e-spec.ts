import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { reviewCaseStream } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { ProjectionRunner, SqliteReadModelStore } from '@ledger/read-models';
import { ActOnReviewCaseCommand } from '../../apps/ledger-api/src/governance/review-cases/act-on-review-case/act-on-review-case.command';
import { LedgerConflictError } from '@ledger/core';
import { authenticationSucceeded, CloudEventBody, enrolledEvent } from '../support/cloud-events';
import { sqliteReadModelsOnly } from '../support/e2e-store';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

function event(subject: string, type: string, time: string, data: Record<string, unknown>): CloudEventBody {
  return { specversion: '1.0', id: randomUUID(), source: 'https://helpdesk.example.com', type: `assurance.${type}`, subject, time, data };
}

const proofed = (subject: string, time = '2026-11-02T09:00:00Z') =>
  event(subject, 'identity.proofed', time, { ial: 2, method: 'remote', evidence: ['passport'], proofedBy: 'idv-vendor' });

/** A proofed subject with one security key bound right after the proofing, the user notified. */
function withSecurityKey(subject: string, keyId = `key-${randomUUID()}`): CloudEventBody[] {
  const key = enrolledEvent(subject, { time: '2026-11-02T09:05:00Z' });
  key.data = { ...key.data, authenticatorId: keyId, userNotified: true };
  return [proofed(subject), key];
}

describe('review cases: governance kinds, reviewer actions, SLA', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger();
  });
  afterAll(() => ledger.stop());

  async function record(...events: CloudEventBody[]): Promise<{ revisions: number[]; position: number }> {
    const response = await ledger.post(events, 'application/cloudevents-batch+json');
    expect(response.status).toBe(201);
    const results: Array<{ revision: number; position: number }> = response.body.results;
    return { revisions: results.map((result) => result.revision), position: Math.max(...results.map((result) => result.position)) };
  }

  async function casesOf(subject: string, position: number, status = 'open'): Promise<any[]> {
    const response = await ledger.get(`/v1/reviews?subjectId=${subject}&status=${status}&minPosition=${position}&limit=500`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  const act = (caseId: string, action: string, body: unknown, as: 'reviewer' | 'admin' | 'helpdesk' = 'reviewer') =>
    ledger.request('POST', `/v1/reviews/${encodeURIComponent(caseId)}/${action}`, { body, as });

  it('shows a help-desk recovery without a second approver as unverified, with an open case, until someone else approves it', async () => {
    const subject = `assisted-${randomUUID()}`;
    const recovery = event(subject, 'recovery.completed', '2026-11-10T09:00:00Z', {
      method: 'help-desk',
      verifiedBy: 'agent-7',
      ticketId: 'INC-77',
      userNotified: true,
    });
    const { revisions, position } = await record(...withSecurityKey(subject), recovery);

    const state = await ledger.get(`/v1/subjects/${subject}?minPosition=${position}`);
    expect(state.body.recentRecoveries).toEqual([
      expect.objectContaining({
        phase: 'completed',
        method: 'help-desk',
        governance: 'unverified',
        missing: ['second-approval'],
        revision: revisions[2],
      }),
    ]);
    const assisted = state.body.openReviewItems.find((item: any) => item.kind === 'assisted-recovery');
    expect(assisted).toMatchObject({ itemId: `${subject}~assisted-recovery`, status: 'open' });
    expect(state.body.openCases).toEqual({ count: state.body.openReviewItems.length, href: `/v1/reviews?subjectId=${subject}` });

    const selfApproval = await ledger.post(
      event(subject, 'recovery.approved', '2026-11-10T09:30:00Z', { recoveryRevision: revisions[2], approvedBy: 'agent-7' }),
    );
    expect(selfApproval.status).toBe(409);
    expect(selfApproval.body.code).toBe('recovery-not-approvable');

    const approval = await record(
      event(subject, 'recovery.approved', '2026-11-10T09:30:00Z', { recoveryRevision: revisions[2], approvedBy: 'lead-2' }),
    );
    const approved = await ledger.get(`/v1/subjects/${subject}?minPosition=${approval.position}`);
    expect(approved.body.recentRecoveries).toEqual([
      expect.objectContaining({ governance: 'verified', missing: [], approvedBy: 'lead-2' }),
    ]);
    // The approval completes the recovery; closing the case is still a reviewer's decision.
    expect(approved.body.openReviewItems.map((item: any) => item.itemId)).toContain(assisted.itemId);
  });

  it('opens recovery-weaker-than-primary for a recovery by SMS when the primary is a security key', async () => {
    const subject = `weaker-${randomUUID()}`;
    const recovery = event(subject, 'recovery.completed', '2026-11-10T09:00:00Z', {
      method: 'sms',
      verifiedBy: 'sms-gateway',
      userNotified: true,
    });
    const { position } = await record(...withSecurityKey(subject), recovery);
    const cases = await casesOf(subject, position);
    expect(cases.map((item) => item.kind).sort()).toEqual(['recovery', 'recovery-weaker-than-primary']);
    expect(cases.find((item) => item.kind === 'recovery-weaker-than-primary')).toMatchObject({
      itemId: `${subject}~recovery-weaker-than-primary`,
      detail: { method: 'sms', strongestActiveAal: 3, governance: 'verified' },
    });
  });

  describe('enrolling a second security key', () => {
    const secondKey = (subject: string, time: string) => {
      const key = enrolledEvent(subject, { time });
      key.data = { ...key.data, authenticatorId: `key-2-${randomUUID()}`, userNotified: true };
      return key;
    };

    it('opens enrollment-below-required-assurance with no authentication in the window', async () => {
      const subject = `enroll-bare-${randomUUID()}`;
      const { position } = await record(...withSecurityKey(subject), secondKey(subject, '2026-11-05T10:00:00Z'));
      const cases = await casesOf(subject, position);
      expect(cases).toEqual([
        expect.objectContaining({
          itemId: `${subject}~enrollment-below-required-assurance`,
          kind: 'enrollment-below-required-assurance',
          detail: expect.objectContaining({
            basis: 'authentication',
            requiredAal: 3,
            windowMinutes: 10,
            gaps: ['no-authentication-in-window'],
          }),
        }),
      ]);
    });

    it('opens none right after an AAL3 authentication', async () => {
      const subject = `enroll-fresh-${randomUUID()}`;
      const keyId = `key-1-${randomUUID()}`;
      const signIn = authenticationSucceeded(subject, {
        time: '2026-11-05T09:57:00Z',
        data: {
          channel: 'web',
          applicationId: 'account-portal',
          methods: [{ kind: 'security-key', authenticatorId: keyId, amr: ['hwk', 'pin'] }],
        },
      });
      const { position } = await record(...withSecurityKey(subject, keyId), signIn, secondKey(subject, '2026-11-05T10:00:00Z'));
      const verdicts = (await ledger.get(`/v1/subjects/${subject}/events`)).body.events.filter(
        (e: any) => e.type === 'assurance.authentication.evaluated',
      );
      expect(verdicts.map((verdict: any) => verdict.data.achievedAal)).toEqual([3]);
      expect(await casesOf(subject, position)).toEqual([]);
    });
  });

  describe('acting on a case', () => {
    async function openCase(): Promise<{ caseId: string; subject: string }> {
      const subject = `act-${randomUUID()}`;
      const { position } = await record(
        event(subject, 'breakglass.used', '2026-11-02T03:00:00Z', { accountId: 'emergency-admin', reason: 'IdP outage' }),
      );
      const [item] = await casesOf(subject, position);
      expect(item.itemId).toBe(`${subject}~breakglass`);
      return { caseId: item.itemId, subject };
    }

    it('moves a case through acknowledged and escalated to resolved, each answered with its stored position', async () => {
      const { caseId, subject } = await openCase();
      const acknowledged = await act(caseId, 'acknowledge', { note: 'calling the account owner' });
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body).toMatchObject({
        caseId,
        status: 'acknowledged',
        stream: reviewCaseStream(caseId),
        revision: 0,
        position: expect.any(Number),
      });
      expect((await casesOf(subject, acknowledged.body.position, 'acknowledged')).map((item) => item.itemId)).toEqual([caseId]);
      expect(await casesOf(subject, acknowledged.body.position)).toEqual([]);

      const escalated = await act(caseId, 'escalate', { reason: 'outage lasted six hours' }, 'admin');
      expect(escalated.body).toMatchObject({ status: 'escalated', revision: 1 });
      const reacknowledged = await act(caseId, 'acknowledge', {});
      expect(reacknowledged.status).toBe(409);
      expect(reacknowledged.body.code).toBe('case-already-escalated');

      const resolved = await act(caseId, 'resolve', { outcome: 'accepted-risk', note: 'documented in the outage review' });
      expect(resolved.body).toMatchObject({ status: 'resolved', revision: 2 });
      const [item] = await casesOf(subject, resolved.body.position, 'resolved');
      expect(item.actions).toEqual([
        expect.objectContaining({ action: 'acknowledged', by: 'test-reviewer', note: 'calling the account owner' }),
        expect.objectContaining({ action: 'escalated', by: 'test-admin', reason: 'outage lasted six hours' }),
        expect.objectContaining({
          action: 'resolved',
          by: 'test-reviewer',
          outcome: 'accepted-risk',
          note: 'documented in the outage review',
        }),
      ]);
      const state = await ledger.get(`/v1/subjects/${subject}?minPosition=${resolved.body.position}`);
      expect(state.body.openCases.count).toBe(0);
    });

    it('adds a repeated break-glass use to its open case, and re-opens the resolved case with its history', async () => {
      const { caseId, subject } = await openCase();
      const again = (time: string) =>
        record(event(subject, 'breakglass.used', time, { accountId: 'emergency-admin', reason: 'IdP outage again' }));
      const second = await again('2026-11-03T03:00:00Z');
      const [grown] = await casesOf(subject, second.position);
      expect(grown).toMatchObject({
        itemId: caseId,
        occurrences: 2,
        firstOccurredAt: '2026-11-02T03:00:00.000Z',
        lastOccurredAt: '2026-11-03T03:00:00.000Z',
        sources: [expect.objectContaining({ revision: 0 }), expect.objectContaining({ revision: second.revisions[0] })],
      });

      const resolved = await act(caseId, 'resolve', { outcome: 'remediated', note: 'break-glass account rotated' });
      expect(resolved.status).toBe(200);
      // The resolution covers the two occurrences the queue showed; acting again on them is refused.
      expect((await act(caseId, 'acknowledge', {})).body.code).toBe('case-already-resolved');

      const third = await again('2026-11-09T03:00:00Z');
      const reopened = await casesOf(subject, third.position);
      expect(reopened).toEqual([
        expect.objectContaining({
          itemId: caseId,
          status: 'open',
          occurrences: 3,
          occurredAt: '2026-11-09T03:00:00.000Z',
          actions: [expect.objectContaining({ action: 'resolved', occurrences: 2 })],
        }),
      ]);
      const acknowledged = await act(caseId, 'acknowledge', { note: 'third use: asking why' });
      expect(acknowledged.body).toMatchObject({ status: 'acknowledged', stream: reviewCaseStream(caseId), revision: 1 });
    });

    it('refuses to resolve a case twice, keeping the first outcome', async () => {
      const { caseId, subject } = await openCase();
      const first = await act(caseId, 'resolve', { outcome: 'remediated', note: 'account reset' });
      expect(first.status).toBe(200);
      const second = await act(caseId, 'resolve', { outcome: 'false-positive', note: 'not an incident' });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('case-already-resolved');
      const [item] = await casesOf(subject, first.body.position, 'resolved');
      expect(item.actions.map((action: any) => action.outcome)).toEqual(['remediated']);
    });

    it('gives exactly one winner when two reviewers resolve at once, and records one outcome', async () => {
      const { caseId, subject } = await openCase();
      const answers = await Promise.all([
        act(caseId, 'resolve', { outcome: 'remediated', note: 'first reviewer' }),
        act(caseId, 'resolve', { outcome: 'false-positive', note: 'second reviewer' }, 'admin'),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const loser = answers.find((answer) => answer.status === 409)!;
      expect(['concurrent-case-action', 'case-already-resolved']).toContain(loser.body.code);
      const winner = answers.find((answer) => answer.status === 200)!;
      const [item] = await casesOf(subject, winner.body.position, 'resolved');
      expect(item.actions).toHaveLength(1);
    });

    // The case lookup must answer within the turn for both commands to read the empty stream; the
    // order-free race just above holds on every read-model store.
    sqliteReadModelsOnly('refuses the second of two actions decided on the same revision, whatever the rules would say', async () => {
      // Started in the same turn, both read the empty case stream before either appends: the
      // optimistic append, not a lock in this process, is what keeps the second out.
      const { caseId } = await openCase();
      const commandBus = ledger.app.get(CommandBus);
      const outcomes = await Promise.allSettled([
        commandBus.execute(
          new ActOnReviewCaseCommand(
            caseId,
            { type: 'EscalateCase', reason: 'first' },
            { causationId: 'a', correlationId: 'a', writtenBy: 'rita' },
          ),
        ),
        commandBus.execute(
          new ActOnReviewCaseCommand(
            caseId,
            { type: 'ResolveCase', outcome: 'remediated', note: 'second' },
            { causationId: 'b', correlationId: 'b', writtenBy: 'sam' },
          ),
        ),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
      const refusal = (outcomes[1] as PromiseRejectedResult).reason;
      expect(refusal).toBeInstanceOf(LedgerConflictError);
      expect(refusal.code).toBe('concurrent-case-action');
      const stored = await ledger.app.get<EventStore>(EVENT_STORE).readStream(reviewCaseStream(caseId));
      expect(stored.map((recorded) => [recorded.type, recorded.metadata.writtenBy])).toEqual([['assurance.review.escalated', 'rita']]);
    });

    it('answers 404 for a case the queue does not hold, and 400 naming the field for a bad request', async () => {
      const missing = await act('nobody~breakglass', 'resolve', { outcome: 'remediated', note: 'x' });
      expect(missing.status).toBe(404);
      const { caseId } = await openCase();
      const badRequests: Array<[string, unknown, string]> = [
        ['resolve', { outcome: 'ignored', note: 'x' }, 'outcome'],
        ['resolve', { outcome: 'remediated' }, 'note'],
        ['resolve', { outcome: 'remediated', note: '' }, 'note'],
        ['escalate', {}, 'reason'],
        ['acknowledge', { note: 'x', extra: true }, 'extra'],
      ];
      for (const [action, body, field] of badRequests) {
        const response = await act(caseId, action, body);
        expect({ action, body, status: response.status }).toEqual({ action, body, status: 400 });
        expect(response.body.errors.map((error: any) => error.field)).toContain(field);
      }
      const badId = await act('not a case id', 'acknowledge', {});
      expect(badId.status).toBe(400);
      expect(JSON.stringify(badId.body)).toContain('id');
    });

    it('is refused to the help desk, which reads the queue but does not decide cases', async () => {
      const { caseId } = await openCase();
      expect((await act(caseId, 'acknowledge', {}, 'helpdesk')).status).toBe(403);
    });
  });

  it("rebuilds the same queue, reviewers' actions included, from position 0", async () => {
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const live = await ledger.get(`/v1/projections/checksums?minPosition=${await store.headPosition()}`);
    const clean = new SqliteReadModelStore({ path: ':memory:' });
    try {
      const rebuilt = await new ProjectionRunner(store, clean).catchUp();
      expect(rebuilt.position).toBe(live.body.position);
      expect((await clean.checksums()).value).toEqual(live.body.checksums);
      const { value: resolved } = await clean.listReviewItems({ status: 'resolved', order: 'oldest-first', limit: 500 });
      expect(resolved.length).toBeGreaterThan(0);
    } finally {
      await clean.close();
    }
  });

  it('shows each case its severity, due time and SLA status: one business day for a critical case by default', async () => {
    const subject = `sla-${randomUUID()}`;
    // Break-glass is critical. A Monday: one business day later is the Tuesday, long before this test runs.
    const { position } = await record(
      event(subject, 'breakglass.used', '2026-11-02T03:00:00Z', { accountId: 'emergency-admin', reason: 'drill' }),
    );
    const [item] = await casesOf(subject, position);
    expect(item).toMatchObject({ status: 'open', severity: 'critical', dueAt: '2026-11-03T03:00:00.000Z', slaStatus: 'overdue' });
    const recent = new Date(Date.now() - 60_000).toISOString();
    // A new occurrence adds to the open case, whose SLA still runs from when it opened.
    const repeated = await record(event(subject, 'breakglass.used', recent, { accountId: 'emergency-admin', reason: 'drill' }));
    expect(await casesOf(subject, repeated.position)).toEqual([
      expect.objectContaining({ occurrences: 2, dueAt: '2026-11-03T03:00:00.000Z', slaStatus: 'overdue' }),
    ]);
    const critical = await ledger.get(`/v1/reviews?subjectId=${subject}&severity=critical`);
    expect(critical.body.items.map((candidate: any) => candidate.itemId)).toEqual([item.itemId]);
    expect((await ledger.get(`/v1/reviews?subjectId=${subject}&severity=low`)).body.items).toEqual([]);
    const unknown = await ledger.get(`/v1/reviews?severity=urgent`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((error: any) => error.field)).toContain('severity');
    const other = `sla-fresh-${randomUUID()}`;
    const fresh = await record(event(other, 'breakglass.used', recent, { accountId: 'emergency-admin', reason: 'drill' }));
    expect((await casesOf(other, fresh.position)).map((candidate) => candidate.slaStatus)).toEqual(['within-sla']);

    // Filters by minimum age (from when the case opened) and by channel; a bad value is a 400 naming its field.
    const ids = async (query: string) => (await ledger.get(`/v1/reviews?${query}`)).body.items.map((candidate: any) => candidate.itemId);
    expect(await ids(`subjectId=${subject}&minAgeDays=3`)).toEqual([item.itemId]);
    expect(await ids(`subjectId=${other}&minAgeDays=1`)).toEqual([]);
    expect(await ids(`subjectId=${other}&minAgeDays=0`)).toHaveLength(1);
    expect(await ids(`subjectId=${subject}&channel=privileged`)).toEqual([]);
    // The summary counts both cases, the repeated one once, judged by the same SLA as the queue.
    const summary = await ledger.get(`/v1/reviews/summary?minPosition=${fresh.position}`);
    expect(summary.status).toBe(200);
    const unresolved: any[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: any = await ledger.get(`/v1/reviews?status=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      unresolved.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    for (const status of ['acknowledged', 'escalated'])
      unresolved.push(...(await ledger.get(`/v1/reviews?status=${status}&limit=500`)).body.items);
    expect(summary.body).toMatchObject({
      open: unresolved.length,
      overdue: unresolved.filter((candidate) => candidate.slaStatus === 'overdue').length,
      oldestOpenedAt: unresolved.map((candidate) => candidate.occurredAt).sort()[0],
      bySeverity: {
        critical: {
          open: unresolved.filter((candidate) => candidate.severity === 'critical').length,
          overdue: unresolved.filter((candidate) => candidate.severity === 'critical' && candidate.slaStatus === 'overdue').length,
        },
      },
    });
    // The fresh case opened a minute ago; the resolutions earlier in this file were recorded just now.
    expect(summary.body.trend.days7.opened).toBeGreaterThanOrEqual(1);
    expect(summary.body.trend.days7.resolved).toBeGreaterThanOrEqual(1);
    expect(summary.body.trend.days30.opened).toBeGreaterThanOrEqual(summary.body.trend.days7.opened);

    for (const [query, field] of [
      ['channel=email', 'channel'],
      ['minAgeDays=-1', 'minAgeDays'],
    ]) {
      const refused = await ledger.get(`/v1/reviews?${query}`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((error: any) => error.field)).toContain(field);
    }
  });
});
