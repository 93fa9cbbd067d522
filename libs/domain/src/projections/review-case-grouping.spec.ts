import { StoredEventFacts } from './projected-event';
import { applyReviewAction, projectSubjectEvent, SubjectDocument } from './subject-projection';
import { RECENT_OCCURRENCE_LIMIT } from './review-case-grouping';
import { ReviewCaseActionRecord, ReviewItem, reviewCaseId, subjectIdOfReviewCase } from './review-items';

const STREAM = 'subject-dora';
let position = 0;
let revision = 0;
const minute = (n: number) => new Date(Date.UTC(2026, 10, 2, 9, n)).toISOString();

function stored(type: string, data: Record<string, unknown>, time: string): StoredEventFacts {
  position += 1;
  return { streamId: STREAM, revision: revision++, position, type, data, metadata: { schemaVersion: 1, time }, recordedAt: new Date(time) };
}

/** A sign-in to `applicationId` and its verdict: a violation of the required AAL. */
function violation(applicationId: string, at: string): StoredEventFacts[] {
  const signIn = stored(
    'assurance.authentication.succeeded',
    { channel: 'web', applicationId, methods: [{ kind: 'sms', amr: ['sms'] }] },
    at,
  );
  const verdict = stored(
    'assurance.authentication.evaluated',
    {
      authentication: { revision: signIn.revision, id: `auth-${signIn.revision}`, source: 'idp', time: at },
      applicationId,
      channel: 'web',
      requiredAal: 2,
      achievedAal: 1,
      phishingResistant: false,
      amr: ['sms'],
      acr: [],
      verdict: 'violation',
      reasons: [{ rule: 'required-aal', detail: 'below AAL2' }],
      policyVersion: 1,
      decisionPath: [],
    },
    at,
  );
  return [signIn, verdict];
}

const breakglass = (at: string) => stored('assurance.breakglass.used', { accountId: 'root', reason: 'outage' }, at);

/** The subject's document and the case rows each event wrote, in order. */
function fold(events: StoredEventFacts[], from?: SubjectDocument): { document: SubjectDocument; written: ReviewItem[] } {
  let document = from;
  const written: ReviewItem[] = [];
  for (const event of events) {
    const step = projectSubjectEvent(document, event)!;
    document = step.document;
    written.push(...step.reviewItems);
  }
  return { document: document!, written };
}

const action = (
  kind: Exclude<ReviewCaseActionRecord['action'], 'assigned'>,
  at: string,
  occurrences?: number,
): { status: ReviewItem['status']; action: ReviewCaseActionRecord } => ({
  status: kind,
  action: {
    action: kind,
    by: 'rita',
    at,
    ...(kind === 'resolved' && { outcome: 'remediated' as const, note: 'user moved to a passkey' }),
    ...(occurrences !== undefined && { occurrences }),
    position: 1000 + position++,
  },
});

beforeEach(() => {
  revision = 0;
});

describe('review cases grouped by subject, rule and application', () => {
  it('adds a repeated violation to its open case: count, first and last time, the events behind it', () => {
    const first = violation('payroll', minute(1));
    const second = violation('payroll', minute(7));
    const { document, written } = fold([...first, ...second]);
    const id = reviewCaseId('dora', 'policy-violation', 'payroll');
    expect(Object.keys(document.reviewCases)).toEqual([id]);
    expect(document.reviewCases[id]).toMatchObject({
      itemId: 'dora~policy-violation~payroll',
      status: 'open',
      occurrences: 2,
      occurredAt: minute(1),
      firstOccurredAt: minute(1),
      lastOccurredAt: minute(7),
      source: { stream: STREAM, revision: second[1].revision, position: second[1].position },
      sources: [
        { stream: STREAM, revision: first[1].revision, position: first[1].position },
        { stream: STREAM, revision: second[1].revision, position: second[1].position },
      ],
    });
    // Each verdict writes the one case again, never a second row.
    expect(written.map((item) => [item.itemId, item.occurrences])).toEqual([
      [id, 1],
      [id, 2],
    ]);
  });

  it('keeps a case per application, and one without an application apart', () => {
    const { document } = fold([...violation('payroll', minute(1)), ...violation('crm', minute(2)), breakglass(minute(3))]);
    expect(Object.keys(document.reviewCases).sort()).toEqual([
      'dora~breakglass',
      'dora~policy-violation~crm',
      'dora~policy-violation~payroll',
    ]);
    expect(Object.keys(document.reviewCases).map(subjectIdOfReviewCase)).toEqual(['dora', 'dora', 'dora']);
  });

  it(`links the latest ${RECENT_OCCURRENCE_LIMIT} events and counts them all`, () => {
    const uses = Array.from({ length: RECENT_OCCURRENCE_LIMIT + 5 }, (_, n) => breakglass(minute(n)));
    const { document } = fold(uses);
    const item = document.reviewCases['dora~breakglass'];
    expect(item.occurrences).toBe(RECENT_OCCURRENCE_LIMIT + 5);
    expect(item.sources.map((source) => source.revision)).toEqual(uses.slice(5).map((use) => use.revision));
    expect([item.firstOccurredAt, item.lastOccurredAt]).toEqual([minute(0), minute(RECENT_OCCURRENCE_LIMIT + 4)]);
  });

  it('keeps an acknowledged case acknowledged when it occurs again: the reviewer on it sees the new occurrence', () => {
    const opened = fold([breakglass(minute(1))]).document;
    const acknowledged = applyReviewAction(opened, { itemId: 'dora~breakglass', ...action('acknowledged', minute(2), 1) })!;
    const { document } = fold([breakglass(minute(3))], acknowledged.document);
    expect(document.reviewCases['dora~breakglass']).toMatchObject({ status: 'acknowledged', occurrences: 2, occurredAt: minute(1) });
  });

  it('re-opens a resolved case that occurs again, with its history', () => {
    const opened = fold([breakglass(minute(1))]).document;
    const resolution = action('resolved', minute(2), 1);
    const resolved = applyReviewAction(opened, { itemId: 'dora~breakglass', ...resolution })!;
    expect(resolved.reviewItem.status).toBe('resolved');
    const { document, written } = fold([breakglass(minute(9))], resolved.document);
    expect(written).toEqual([
      expect.objectContaining({
        itemId: 'dora~breakglass',
        status: 'open',
        occurrences: 2,
        // Its age and SLA start again at the occurrence that re-opened it.
        occurredAt: minute(9),
        firstOccurredAt: minute(1),
        actions: [resolution.action],
      }),
    ]);
    expect(document.reviewCases['dora~breakglass']).toEqual(written[0]);
  });

  it('keeps a case open when the resolution covered fewer occurrences than it has', () => {
    const twice = fold([breakglass(minute(1)), breakglass(minute(2))]).document;
    const stale = applyReviewAction(twice, { itemId: 'dora~breakglass', ...action('resolved', minute(3), 1) })!;
    expect(stale.reviewItem).toMatchObject({ status: 'open', occurrences: 2 });
    const current = applyReviewAction(twice, { itemId: 'dora~breakglass', ...action('resolved', minute(3), 2) })!;
    expect(current.reviewItem.status).toBe('resolved');
  });

  it('carries the severity of its rule and stakes', () => {
    const { document } = fold([...violation('payroll', minute(1))]);
    expect(document.reviewCases['dora~policy-violation~payroll'].severity).toBe('medium');
    const uses = fold([breakglass(minute(2))], document).document;
    expect(uses.reviewCases['dora~breakglass'].severity).toBe('critical');
  });

  it('shows who holds a case: taking assigns it, acknowledging assigns a case nobody holds, a re-opened case is nobody’s', () => {
    const opened = fold([breakglass(minute(1))]).document;
    expect(opened.reviewCases['dora~breakglass'].assignee).toBeNull();
    const takenAction = { action: 'assigned' as const, by: 'sam', at: minute(2), occurrences: 1, position: 1000 + position++ };
    const taken = applyReviewAction(opened, { itemId: 'dora~breakglass', action: takenAction })!;
    // Taking leaves the status alone.
    expect(taken.reviewItem).toMatchObject({ status: 'open', assignee: 'sam' });
    const acknowledgedByAnother = applyReviewAction(taken.document, {
      itemId: 'dora~breakglass',
      ...action('acknowledged', minute(3), 1),
    })!;
    expect(acknowledgedByAnother.reviewItem).toMatchObject({ status: 'acknowledged', assignee: 'sam' });
    const acknowledgedUntaken = applyReviewAction(opened, { itemId: 'dora~breakglass', ...action('acknowledged', minute(3), 1) })!;
    expect(acknowledgedUntaken.reviewItem.assignee).toBe('rita');
    const resolved = applyReviewAction(taken.document, { itemId: 'dora~breakglass', ...action('resolved', minute(4), 1) })!;
    expect(resolved.reviewItem).toMatchObject({ status: 'resolved', assignee: 'sam' });
    const reopened = fold([breakglass(minute(9))], resolved.document).document;
    expect(reopened.reviewCases['dora~breakglass']).toMatchObject({ status: 'open', assignee: null });
  });

  describe('actions recorded before cases were grouped, in streams named after one event', () => {
    const events = () => [...violation('payroll', minute(1)), breakglass(minute(2)), ...violation('payroll', minute(3))];

    it('apply to the case that event was grouped into', () => {
      const { document } = fold(events());
      // Revision 1 is the first verdict, revision 2 the break-glass use.
      const onViolation = applyReviewAction(document, { itemId: 'subject-dora@1', ...action('acknowledged', minute(4)) });
      expect(onViolation?.reviewItem).toMatchObject({ itemId: 'dora~policy-violation~payroll', status: 'acknowledged' });
      const onBreakglass = applyReviewAction(document, { itemId: 'subject-dora@2', ...action('resolved', minute(4)) });
      expect(onBreakglass?.reviewItem).toMatchObject({ itemId: 'dora~breakglass', status: 'resolved' });
      expect(onBreakglass?.document.reviewCases['dora~breakglass'].status).toBe('resolved');
      expect(subjectIdOfReviewCase('subject-dora@2')).toBe('dora');
    });

    it('change nothing when no case holds the event, or the kind does not match', () => {
      const { document } = fold(events());
      expect(applyReviewAction(document, { itemId: 'subject-dora@0', ...action('acknowledged', minute(4)) })).toBeUndefined();
      expect(
        applyReviewAction(document, { itemId: 'subject-dora@2:assisted-recovery', ...action('acknowledged', minute(4)) }),
      ).toBeUndefined();
      expect(applyReviewAction(document, { itemId: 'dora~fallback~crm', ...action('acknowledged', minute(4)) })).toBeUndefined();
    });
  });
});
