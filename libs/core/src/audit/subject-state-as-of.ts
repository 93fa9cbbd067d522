import { EventStore, readStreamPaged, RecordedEvent, StreamNotFoundError } from '@ledger/event-store';
import { initialPolicyHistory, policyStream, subjectStream } from '@ledger/domain';
import { occurredAtOf, projectSubjectEvent, SubjectDocument, withPolicyPublication } from '@ledger/domain/projections';
import { NotFoundError } from '../shared/api-errors';
import { SubjectStateView, toSubjectStateView } from '../views/subject-state.view';

/** Exactly one of the two bounds is set. */
export type PointInTime = { asOf: Date } | { atPosition: number };

/**
 * The subject as it was at a moment, rebuilt by replaying its stream with the
 * same fold the subject-state projection runs, and rendered by the same view:
 * no read model is consulted, so a damaged or lagging read model cannot
 * colour the answer. `asOf` bounds the time events happened; `atPosition`
 * bounds what the ledger had recorded.
 */
export class SubjectStateAsOf {
  constructor(private readonly store: EventStore) {}

  async of(subjectId: string, at: PointInTime): Promise<SubjectStateView> {
    const included =
      'asOf' in at
        ? (event: Parameters<typeof occurredAtOf>[0]) => Date.parse(occurredAtOf(event)) <= at.asOf.getTime()
        : (event: Parameters<typeof occurredAtOf>[0]) => event.position <= at.atPosition;
    let document: SubjectDocument | undefined;
    let position = -1;
    // Each event is judged by the policy versions published before it, as the projection runner does.
    const publications = await this.readAll(policyStream());
    let policies = initialPolicyHistory();
    try {
      for await (const event of readStreamPaged(this.store, subjectStream(subjectId))) {
        if (!included(event)) continue;
        while (publications.length > 0 && publications[0].position < event.position)
          policies = withPolicyPublication(policies, publications.shift()!);
        const step = projectSubjectEvent(document, event, policies);
        if (!step) continue;
        document = step.document;
        position = Math.max(position, event.position);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const when = 'asOf' in at ? at.asOf.toISOString() : `position ${at.atPosition}`;
    if (!document) throw new NotFoundError(`subject ${subjectId} had no events as of ${when}`);
    // The view measures ages against "now": the moment asked for, or the last event included.
    // Reviewers' actions live in the case streams, which this replay does not read: every case it raised is shown as opened.
    const raised = Object.values(document.reviewCases);
    return toSubjectStateView(document, position, raised, raised.length, 'asOf' in at ? at.asOf : new Date(document.lastEventAt));
  }

  private async readAll(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of readStreamPaged(this.store, stream)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }
}
