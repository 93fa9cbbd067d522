import type { RecordedEvent } from '@ledger/event-store';
import { initialPolicyHistory, PolicyHistory, REVIEW_CASE_CATEGORY } from '@ledger/domain';
import {
  authenticationKey,
  AuthenticationEvaluated,
  AuthenticationRecord,
  AuthenticationRecordChange,
  authenticationRecordChangeOf,
  applyReviewAction,
  postureCounterKey,
  PostureDelta,
  projectReviewCaseEvent,
  projectSubjectEvent,
  ReviewItem,
  SubjectDocument,
  subjectIdOfReviewCase,
  subjectIdOfStream,
  withPolicyPublication,
} from '@ledger/domain/projections';
import { ReadModelStore } from './read-model-store.port';

const CASE_STREAM_PREFIX = `${REVIEW_CASE_CATEGORY}-`;

function subjectIdOfCaseStream(streamId: string): string | undefined {
  return streamId.startsWith(CASE_STREAM_PREFIX) ? subjectIdOfReviewCase(streamId.slice(CASE_STREAM_PREFIX.length)) : undefined;
}

export interface SkippedEvent {
  position: number;
  streamId: string;
  type: string;
  reason: string;
}

export interface LedgerProjectionsOptions {
  /** Subject documents kept in memory between commits; the runner is their only writer, so the copy stays exact. */
  maxCachedSubjects?: number;
  onSkipped?: (skipped: SkippedEvent) => void;
}

interface PendingChanges {
  subjects: Map<string, SubjectDocument>;
  /** By case id: a case touched by several events in a batch is written once, as it ends. */
  reviewItems: Map<string, ReviewItem>;
  postureDeltas: Map<string, PostureDelta>;
  subjectApplications: Map<string, { subjectId: string; applicationId: string }>;
  /** Keyed by `<stream>@<revision>`, so a verdict in the same batch completes its row before it is written. */
  authentications: Map<string, AuthenticationRecord>;
  /** Verdicts for rows committed in an earlier batch. */
  authenticationEvaluations: AuthenticationEvaluated[];
  eventsRead: number;
  last?: RecordedEvent;
}

function noPendingChanges(): PendingChanges {
  return {
    subjects: new Map(),
    reviewItems: new Map(),
    postureDeltas: new Map(),
    subjectApplications: new Map(),
    authentications: new Map(),
    authenticationEvaluations: [],
    eventsRead: 0,
  };
}

/**
 * Turns stored events into the changes of all three read models (subject
 * state, review queue, estate posture). Changes accumulate in memory until
 * `commit()`, which writes them with the checkpoint of the last event in one
 * call of the store, which makes them atomic: a subject touched by many events
 * between two commits is written once.
 */
export class LedgerProjections {
  private readonly cache = new Map<string, SubjectDocument>();
  private readonly maxCachedSubjects: number;
  private pending = noPendingChanges();
  /** Policy versions published before the next event to add; set by `startAfter` whenever the runner (re)subscribes. */
  private policies: PolicyHistory = initialPolicyHistory();

  constructor(
    private readonly readModels: ReadModelStore,
    private readonly options: LedgerProjectionsOptions = {},
  ) {
    // A document is about 7 KB in memory, and a process keeps what it caches for as long as it
    // runs: 100,000, then 10,000 of them made the API's memory grow with the estate (B9). Subjects
    // are projected in bursts (a sign-in, its verdict, a session), so a small cache covers the
    // burst, and a miss is one read-model lookup.
    this.maxCachedSubjects = options.maxCachedSubjects ?? 2_000;
  }

  /**
   * Before reading from `position` on: the policy publications at or before
   * it, which the read models do not store, so that events after it are
   * judged by the same versions as on a run from position 0.
   */
  startAfter(position: number, policyPublications: RecordedEvent[]): void {
    this.policies = policyPublications.filter((event) => event.position <= position).reduce(withPolicyPublication, initialPolicyHistory());
  }

  get pendingEvents(): number {
    return this.pending.eventsRead;
  }

  async add(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pending = this.pending;
    const missing = new Set<string>();
    for (const event of events) {
      // A reviewer action changes the case in its subject's document, so that subject is loaded too.
      const subjectId = subjectIdOfStream(event.streamId) ?? subjectIdOfCaseStream(event.streamId);
      if (subjectId !== undefined && !pending.subjects.has(subjectId) && !this.cache.has(subjectId)) missing.add(subjectId);
    }
    const loaded = missing.size > 0 ? await this.readModels.loadSubjects([...missing]) : undefined;

    for (const event of events) {
      pending.eventsRead++;
      pending.last = event;
      const subjectId = subjectIdOfStream(event.streamId);
      if (subjectId === undefined) {
        this.policies = withPolicyPublication(this.policies, event);
        this.addReviewCaseAction(event, loaded);
        continue;
      }
      const current = pending.subjects.get(subjectId) ?? this.cache.get(subjectId) ?? loaded?.get(subjectId);
      let step;
      let authentication;
      try {
        step = projectSubjectEvent(current, event, this.policies);
        authentication = authenticationRecordChangeOf(event);
      } catch (error) {
        // A malformed event is skipped the same way on every replay, so live state and a rebuild still agree.
        this.options.onSkipped?.({ position: event.position, streamId: event.streamId, type: event.type, reason: String(error) });
        continue;
      }
      if (authentication) this.addAuthentication(authentication);
      if (!step) continue;
      pending.subjects.set(subjectId, step.document);
      for (const item of step.reviewItems) pending.reviewItems.set(item.itemId, item);
      for (const delta of step.postureDeltas) {
        const key = postureCounterKey(delta);
        const existing = pending.postureDeltas.get(key);
        if (existing) existing.delta += delta.delta;
        else pending.postureDeltas.set(key, { ...delta });
      }
      for (const applicationId of step.applicationsUsed) {
        pending.subjectApplications.set(`${applicationId}\u0000${subjectId}`, { subjectId, applicationId });
      }
    }
  }

  private addReviewCaseAction(event: RecordedEvent, loaded: Map<string, SubjectDocument> | undefined): void {
    try {
      const update = projectReviewCaseEvent(event);
      if (!update) return;
      const subjectId = subjectIdOfReviewCase(update.itemId);
      const pending = this.pending;
      const document =
        subjectId === undefined ? undefined : (pending.subjects.get(subjectId) ?? this.cache.get(subjectId) ?? loaded?.get(subjectId));
      // An action on a case this code never opened changes nothing, identically on every replay.
      const applied = document && applyReviewAction(document, update);
      if (!applied) return;
      pending.subjects.set(applied.document.subjectId, applied.document);
      pending.reviewItems.set(applied.reviewItem.itemId, applied.reviewItem);
    } catch (error) {
      this.options.onSkipped?.({ position: event.position, streamId: event.streamId, type: event.type, reason: String(error) });
    }
  }

  /** Commits everything added since the last commit; answers the new checkpoint, or undefined when nothing was pending. */
  async commit(): Promise<number | undefined> {
    const pending = this.pending;
    if (!pending.last) return undefined;
    await this.readModels.commit({
      subjects: [...pending.subjects.values()],
      reviewItems: [...pending.reviewItems.values()],
      postureDeltas: [...pending.postureDeltas.values()].filter((delta) => delta.delta !== 0),
      subjectApplications: [...pending.subjectApplications.values()],
      authentications: [...pending.authentications.values()],
      authenticationEvaluations: pending.authenticationEvaluations,
      checkpoint: { position: pending.last.position, recordedAt: pending.last.recordedAt.toISOString() },
      eventsRead: pending.eventsRead,
    });
    this.pending = noPendingChanges();
    // Only committed documents enter the cache: after a failed commit it still matches the store.
    for (const [subjectId, document] of pending.subjects) this.remember(subjectId, document);
    return pending.last.position;
  }

  /** After a failure: what was not committed is read again from the store's subscription. */
  discard(): void {
    this.pending = noPendingChanges();
    this.cache.clear();
  }

  private addAuthentication(change: AuthenticationRecordChange): void {
    const { authentications, authenticationEvaluations } = this.pending;
    if ('recorded' in change) {
      authentications.set(authenticationKey(change.recorded.source.stream, change.recorded.source.revision), change.recorded);
      return;
    }
    const { stream, revision, evaluation } = change.evaluated;
    const record = authentications.get(authenticationKey(stream, revision));
    // Only the first verdict on an authentication counts, here as in the committed rows.
    if (record) record.evaluation ??= evaluation;
    else authenticationEvaluations.push(change.evaluated);
  }

  private remember(subjectId: string, document: SubjectDocument): void {
    this.cache.delete(subjectId);
    this.cache.set(subjectId, document);
    if (this.cache.size > this.maxCachedSubjects) this.cache.delete(this.cache.keys().next().value as string);
  }
}
