import { GOVERNANCE_CASE_KINDS, parseLegacyReviewItemId, reviewCaseId, ReviewItem, ReviewOccurrence } from './review-items';
import type { ReviewItemUpdate } from './review-case-projection';
import { higherSeverity, reviewSeverityOf } from '../governance/review-cases/review-severity';

/** How many source events a case links; `occurrences` counts them all. Bounded so a case that recurs daily stays small. */
export const RECENT_OCCURRENCE_LIMIT = 20;

/** The open and past review cases of one subject, by case id. */
export type SubjectReviewCases = Record<string, ReviewItem>;

/**
 * Adds one occurrence to its case, or opens the case. An unresolved case
 * (open, acknowledged, escalated) keeps its status: the reviewer working on it
 * sees the new occurrence in it. A resolved case is re-opened: its status goes
 * back to `open`, its age and SLA start again at this occurrence, and its
 * actions and earlier occurrences stay. A case is as severe as its most
 * severe occurrence in the current round.
 */
export function addOccurrence(existing: ReviewItem | undefined, occurrence: ReviewOccurrence): ReviewItem {
  const { kind, subjectId, applicationId, channel, occurredAt, source, detail } = occurrence;
  if (!existing) {
    return {
      itemId: reviewCaseId(subjectId, kind, applicationId),
      kind,
      status: 'open',
      assignee: null,
      subjectId,
      applicationId,
      channel,
      occurredAt,
      severity: reviewSeverityOf(occurrence),
      occurrences: 1,
      firstOccurredAt: occurredAt,
      lastOccurredAt: occurredAt,
      source,
      sources: [source],
      detail,
      actions: [],
    };
  }
  const reopened = existing.status === 'resolved';
  return {
    ...existing,
    status: reopened ? 'open' : existing.status,
    // A new round is nobody's until someone takes it: whoever resolved the last one may not be the one to look.
    assignee: reopened ? null : existing.assignee,
    channel,
    occurredAt: reopened ? occurredAt : existing.occurredAt,
    // A re-opened case starts a new round, judged by what re-opened it.
    severity: reopened ? reviewSeverityOf(occurrence) : higherSeverity(existing.severity, reviewSeverityOf(occurrence)),
    occurrences: existing.occurrences + 1,
    // Occurrences arrive in the ledger's order, which is not always the order they happened in (late ingestion).
    firstOccurredAt: occurredAt < existing.firstOccurredAt ? occurredAt : existing.firstOccurredAt,
    lastOccurredAt: occurredAt > existing.lastOccurredAt ? occurredAt : existing.lastOccurredAt,
    source,
    sources: [...existing.sources, source].slice(-RECENT_OCCURRENCE_LIMIT),
    detail,
  };
}

/** The subject's cases with the occurrences of one event added, and the cases they changed (each once, as it ends). */
export function withOccurrences(
  cases: SubjectReviewCases,
  occurrences: readonly ReviewOccurrence[],
): { cases: SubjectReviewCases; changed: ReviewItem[] } {
  if (occurrences.length === 0) return { cases, changed: [] };
  const next = { ...cases };
  const changed = new Map<string, ReviewItem>();
  for (const occurrence of occurrences) {
    const id = reviewCaseId(occurrence.subjectId, occurrence.kind, occurrence.applicationId);
    next[id] = addOccurrence(next[id], occurrence);
    changed.set(id, next[id]);
  }
  return { cases: next, changed: [...changed.values()] };
}

/**
 * The case a reviewer action is about. Actions recorded since issue 16 name
 * the case. Actions recorded before it are in streams named after one event
 * (`subject-<id>@<revision>[:<kind>]`); they apply to the case that event's
 * occurrence was grouped into, found among its latest linked sources: replayed
 * in the ledger's order, such an action comes right after the occurrence it
 * was about and before later ones, so a later occurrence re-opens the case as
 * it would have opened a new item. An action whose event is no longer among
 * the case's latest `RECENT_OCCURRENCE_LIMIT` sources, or is not a case at
 * all, changes nothing; it stays in the ledger.
 */
export function reviewCaseOfAction(cases: SubjectReviewCases, itemId: string): ReviewItem | undefined {
  if (cases[itemId]) return cases[itemId];
  const legacy = parseLegacyReviewItemId(itemId);
  if (!legacy) return undefined;
  return Object.values(cases).find(
    (candidate) =>
      (legacy.kind === undefined
        ? !(GOVERNANCE_CASE_KINDS as readonly string[]).includes(candidate.kind)
        : candidate.kind === legacy.kind) &&
      candidate.sources.some((source) => source.stream === legacy.stream && source.revision === legacy.revision),
  );
}

/**
 * A reviewer action applied to its case. A resolution covers the occurrences
 * the reviewer saw: when the case has had more since (they reached the read
 * model after the reviewer read it), the case stays open for them.
 */
export function withReviewAction(existing: ReviewItem, update: ReviewItemUpdate): ReviewItem {
  const { action } = update;
  const coversAll = action.occurrences === undefined || action.occurrences >= existing.occurrences;
  const status = update.status === undefined ? existing.status : update.status === 'resolved' && !coversAll ? 'open' : update.status;
  // As the decider has it: taking assigns, acknowledging assigns a case nobody holds.
  const assignee =
    action.action === 'assigned' ? action.by : action.action === 'acknowledged' ? (existing.assignee ?? action.by) : existing.assignee;
  return { ...existing, status, assignee, actions: [...existing.actions, action] };
}
