import {
  reviewCaseDecider,
  ReviewCaseEvent,
  ReviewCaseRuleViolation,
  ReviewCaseRuleViolationCode,
  reviewCaseStream,
  overdueIfOpenedAtOrBefore,
  reviewDueAt,
  reviewSlaStatus,
} from '@ledger/domain';
import { DeciderSpecification } from '@ledger/domain/testing';

const CASE = 'subject-alice@7';
const given = (history: ReviewCaseEvent[]) => DeciderSpecification.for(reviewCaseDecider).given(history);
const refusedWith = (code: ReviewCaseRuleViolationCode) => (error: unknown) =>
  error instanceof ReviewCaseRuleViolation && error.code === code;

const at = (minute: number) => `2026-11-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
const acknowledge = (by = 'rita', note?: string) => ({
  type: 'AcknowledgeCase' as const,
  caseId: CASE,
  by,
  ...(note !== undefined && { note }),
  at: at(1),
});
const resolve = (by = 'rita', outcome: 'accepted-risk' | 'remediated' | 'false-positive' = 'remediated') => ({
  type: 'ResolveCase' as const,
  caseId: CASE,
  by,
  outcome,
  note: 'key replaced, user notified',
  at: at(5),
});
const escalate = (by = 'rita', reason = 'second recovery this month') => ({
  type: 'EscalateCase' as const,
  caseId: CASE,
  by,
  reason,
  at: at(3),
});

const acknowledged = (by = 'rita', note?: string): ReviewCaseEvent => ({
  type: 'assurance.review.acknowledged',
  data: { caseId: CASE, acknowledgedBy: by, ...(note !== undefined && { note }), at: at(1) },
});
const resolved = (by = 'rita', outcome: 'accepted-risk' | 'remediated' | 'false-positive' = 'remediated'): ReviewCaseEvent => ({
  type: 'assurance.review.resolved',
  data: { caseId: CASE, resolvedBy: by, outcome, note: 'key replaced, user notified', at: at(5) },
});
const escalated = (by = 'rita', reason = 'second recovery this month'): ReviewCaseEvent => ({
  type: 'assurance.review.escalated',
  data: { caseId: CASE, escalatedBy: by, reason, at: at(3) },
});

describe('review case decider', () => {
  it('names the case stream after the case, in its own category', () => {
    expect(reviewCaseStream(CASE)).toBe('reviewcase-subject-alice@7');
  });

  describe('an open case (no action yet)', () => {
    it('is acknowledged, with or without a note', () => {
      given([]).when(acknowledge()).then([acknowledged()]);
      given([])
        .when(acknowledge('rita', 'calling the user'))
        .then([acknowledged('rita', 'calling the user')]);
    });

    it.each(['accepted-risk', 'remediated', 'false-positive'] as const)('is resolved as %s with the reviewer and note', (outcome) => {
      given([])
        .when(resolve('sam', outcome))
        .then([resolved('sam', outcome)]);
    });

    it('is escalated with a reason', () => {
      given([]).when(escalate()).then([escalated()]);
    });
  });

  describe('an acknowledged case', () => {
    it('is resolved', () => {
      given([acknowledged()]).when(resolve()).then([resolved()]);
    });

    it('is escalated', () => {
      given([acknowledged()]).when(escalate()).then([escalated()]);
    });

    it('refuses a second acknowledgement, naming who holds it', () => {
      given([acknowledged('rita')])
        .when(acknowledge('sam'))
        .thenThrows(ReviewCaseRuleViolation, (error) => error.code === 'case-already-acknowledged' && /rita/.test(error.message));
    });
  });

  describe('an escalated case', () => {
    it('is resolved', () => {
      given([escalated()])
        .when(resolve('ciso', 'accepted-risk'))
        .then([resolved('ciso', 'accepted-risk')]);
    });

    it('is escalated further', () => {
      given([acknowledged(), escalated()])
        .when(escalate('lead', 'needs the CISO'))
        .then([escalated('lead', 'needs the CISO')]);
    });

    it('refuses an acknowledgement, which would hide the escalation', () => {
      given([escalated()]).when(acknowledge()).thenThrows(refusedWith('case-already-escalated'));
    });
  });

  describe('a resolved case', () => {
    it('refuses to be resolved twice, naming the first outcome', () => {
      given([resolved('rita', 'remediated')])
        .when(resolve('sam', 'false-positive'))
        .thenThrows(ReviewCaseRuleViolation, (error) => error.code === 'case-already-resolved' && /remediated by rita/.test(error.message));
    });

    it('refuses an acknowledgement', () => {
      given([acknowledged(), resolved()]).when(acknowledge('sam')).thenThrows(refusedWith('case-already-resolved'));
    });

    it('refuses an escalation', () => {
      given([escalated(), resolved()]).when(escalate()).thenThrows(refusedWith('case-already-resolved'));
    });
  });

  it('folds every action into the status a queue shows', () => {
    const fold = (events: ReviewCaseEvent[]) => events.reduce(reviewCaseDecider.evolve, reviewCaseDecider.initialState()).status;
    expect(fold([])).toBe('open');
    expect(fold([acknowledged()])).toBe('acknowledged');
    expect(fold([acknowledged(), escalated()])).toBe('escalated');
    expect(fold([acknowledged(), escalated(), resolved()])).toBe('resolved');
  });
});

describe('review SLA in business days', () => {
  it('counts weekdays only: a Friday case is due the Friday after', () => {
    expect(reviewDueAt('2026-11-06T10:00:00.000Z', 5)).toBe('2026-11-13T10:00:00.000Z');
  });

  it('skips the weekend for a Thursday case due in two business days', () => {
    expect(reviewDueAt('2026-11-05T10:00:00.000Z', 2)).toBe('2026-11-09T10:00:00.000Z');
  });

  it('starts a weekend case on Monday', () => {
    expect(reviewDueAt('2026-11-07T10:00:00.000Z', 1)).toBe('2026-11-09T10:00:00.000Z');
  });

  it('is overdue after the due time, judged at resolution for a resolved case', () => {
    const due = '2026-11-13T10:00:00.000Z';
    expect(reviewSlaStatus(due, new Date('2026-11-13T09:59:59Z'))).toBe('within-sla');
    expect(reviewSlaStatus(due, new Date('2026-11-13T10:00:01Z'))).toBe('overdue');
    expect(reviewSlaStatus(due, new Date('2026-12-01T00:00:00Z'), '2026-11-12T00:00:00.000Z')).toBe('within-sla');
  });
});

describe('a resolved case that occurred again (re-opened by the projection)', () => {
  const seen = (occurrences: number) => ({ occurrences });
  const resolvedCovering = (occurrences: number): ReviewCaseEvent => ({
    type: 'assurance.review.resolved',
    data: { caseId: CASE, resolvedBy: 'rita', outcome: 'remediated', note: 'key replaced, user notified', at: at(5), occurrences },
  });

  it('is acted on again when the reviewer sees more occurrences than the resolution covered, the count recorded', () => {
    given([resolvedCovering(2)])
      .when({ ...acknowledge('sam'), ...seen(3) })
      .then([{ type: 'assurance.review.acknowledged', data: { caseId: CASE, acknowledgedBy: 'sam', at: at(1), occurrences: 3 } }]);
    given([acknowledged(), resolvedCovering(2)])
      .when({ ...resolve('sam', 'accepted-risk'), ...seen(4) })
      .then([
        {
          type: 'assurance.review.resolved',
          data: {
            caseId: CASE,
            resolvedBy: 'sam',
            outcome: 'accepted-risk',
            note: 'key replaced, user notified',
            at: at(5),
            occurrences: 4,
          },
        },
      ]);
  });

  it('refuses an action on the occurrences the resolution already covered', () => {
    given([resolvedCovering(2)])
      .when({ ...acknowledge('sam'), ...seen(2) })
      .thenThrows(refusedWith('case-already-resolved'));
    given([resolvedCovering(2)])
      .when(escalate())
      .thenThrows(refusedWith('case-already-resolved'));
  });

  it('counts a resolution recorded before cases were grouped as covering its one event', () => {
    given([resolved()])
      .when({ ...escalate(), ...seen(2) })
      .then([
        {
          type: 'assurance.review.escalated',
          data: { caseId: CASE, escalatedBy: 'rita', reason: 'second recovery this month', at: at(3), occurrences: 2 },
        },
      ]);
  });

  it('starts a new round: the acknowledgement before the resolution no longer holds, the new one does', () => {
    given([acknowledged('rita'), resolvedCovering(1)])
      .when({ ...acknowledge('sam'), ...seen(2) })
      .then([{ type: 'assurance.review.acknowledged', data: { caseId: CASE, acknowledgedBy: 'sam', at: at(1), occurrences: 2 } }]);
    given([
      resolvedCovering(1),
      { type: 'assurance.review.acknowledged', data: { caseId: CASE, acknowledgedBy: 'sam', at: at(1), occurrences: 2 } },
    ])
      .when({ ...acknowledge('rita'), ...seen(2) })
      .thenThrows(ReviewCaseRuleViolation, (error) => error.code === 'case-already-acknowledged' && /sam/.test(error.message));
  });
});

describe('the overdue cut-off a summary counts with', () => {
  it.each([
    ['a Wednesday', '2026-11-11T12:00:00.000Z', 1],
    ['a Monday, across the weekend', '2026-11-09T08:30:00.000Z', 3],
    ['a Sunday', '2026-11-08T20:00:00.000Z', 5],
    ['a Tuesday, two weeks of SLA', '2026-11-17T00:00:00.000Z', 10],
  ])('splits overdue from within-SLA exactly, at %s', (_, now, days) => {
    const cutoff = overdueIfOpenedAtOrBefore(new Date(now), days);
    const statusIfOpenedAt = (ms: number) => reviewSlaStatus(reviewDueAt(new Date(ms).toISOString(), days), new Date(now));
    const at = new Date(cutoff).getTime();
    expect(statusIfOpenedAt(at)).toBe('overdue');
    expect(statusIfOpenedAt(at + 1)).toBe('within-sla');
    expect(statusIfOpenedAt(at - 3 * 86_400_000)).toBe('overdue');
  });
});

describe('one case of a bulk action', () => {
  it('records the batch id in the event, under the single action rules', () => {
    given([])
      .when({ ...resolve('rita'), occurrences: 1, batchId: 'batch-1' })
      .then([
        {
          type: 'assurance.review.resolved',
          data: {
            caseId: CASE,
            resolvedBy: 'rita',
            outcome: 'remediated',
            note: 'key replaced, user notified',
            at: at(5),
            occurrences: 1,
            batchId: 'batch-1',
          },
        },
      ]);
    given([acknowledged('sam')])
      .when({ ...acknowledge('rita'), batchId: 'batch-1' })
      .thenThrows(refusedWith('case-already-acknowledged'));
  });
});

describe('taking a case (issue 16: "an assignee: a reviewer can take a case")', () => {
  const take = (by: string, occurrences?: number) => ({
    type: 'TakeCase' as const,
    caseId: CASE,
    by,
    at: at(2),
    ...(occurrences !== undefined && { occurrences }),
  });
  const taken = (assignee: string, previousAssignee?: string): ReviewCaseEvent => ({
    type: 'assurance.review.assigned',
    data: { caseId: CASE, assignee, ...(previousAssignee !== undefined && { previousAssignee }), at: at(2) },
  });

  it('given an open case, when a reviewer takes it, then it is assigned to them', () => {
    given([])
      .when(take('rita'))
      .then([taken('rita')]);
  });

  it('given a case another reviewer holds, when a second takes it over, then the event names whom it was taken from', () => {
    given([taken('rita')])
      .when(take('sam'))
      .then([taken('sam', 'rita')]);
  });

  it('given a case acknowledged by a reviewer, when another takes it, then it was held by the acknowledger', () => {
    given([acknowledged('rita')])
      .when(take('sam'))
      .then([taken('sam', 'rita')]);
  });

  it('given a case a reviewer holds, when the same reviewer takes it again, then nothing is recorded twice', () => {
    given([taken('rita')])
      .when(take('rita'))
      .thenThrows(refusedWith('case-already-assigned'));
    given([acknowledged('rita')])
      .when(take('rita'))
      .thenThrows(refusedWith('case-already-assigned'));
  });

  it('given a resolved case, when a reviewer takes it, then it is refused', () => {
    given([taken('rita'), resolved()])
      .when(take('sam'))
      .thenThrows(refusedWith('case-already-resolved'));
  });

  it('given a re-opened case, when its former holder takes it, then it is theirs again: a new round is nobody’s', () => {
    given([taken('rita'), { type: 'assurance.review.resolved', data: { ...resolvedData(), occurrences: 1 } }])
      .when(take('rita', 2))
      .then([{ type: 'assurance.review.assigned', data: { caseId: CASE, assignee: 'rita', at: at(2), occurrences: 2 } }]);
  });
});

function resolvedData() {
  return (resolved() as Extract<ReviewCaseEvent, { type: 'assurance.review.resolved' }>).data;
}
