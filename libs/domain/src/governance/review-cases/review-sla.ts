export type ReviewSlaStatus = 'within-sla' | 'overdue';

const DAY_MS = 86_400_000;

/**
 * When a case must be resolved: `businessDays` weekdays (Monday to Friday, in
 * UTC) after it occurred, at the same time of day. A case that occurred on a
 * weekend is due the given number of weekdays later, the first being Monday.
 * Public holidays differ per organisation and are not counted out.
 */
export function reviewDueAt(occurredAt: string, businessDays: number): string {
  let due = new Date(occurredAt).getTime();
  for (let counted = 0; counted < businessDays;) {
    due += DAY_MS;
    const weekday = new Date(due).getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted++;
  }
  return new Date(due).toISOString();
}

/** A resolved case is judged by when it was resolved; an unresolved one by now. */
export function reviewSlaStatus(dueAt: string, now: Date, resolvedAt?: string): ReviewSlaStatus {
  const judgedAt = resolvedAt === undefined ? now.getTime() : new Date(resolvedAt).getTime();
  return judgedAt > new Date(dueAt).getTime() ? 'overdue' : 'within-sla';
}

/**
 * The latest time a case may have opened and be overdue at `now` with an SLA of `businessDays`:
 * every case opened at or before it is overdue, every case opened after it is not. `reviewDueAt`
 * never decreases as the opening time grows, so a binary search over milliseconds finds it; the
 * read models then count overdue cases with one comparison per severity instead of reading them.
 */
export function overdueIfOpenedAtOrBefore(now: Date, businessDays: number): string {
  const nowMs = now.getTime();
  const isOverdue = (openedMs: number) => new Date(reviewDueAt(new Date(openedMs).toISOString(), businessDays)).getTime() < nowMs;
  // businessDays weekdays span at most businessDays + 2 days per week started, plus a weekend start.
  let low = nowMs - (Math.ceil(businessDays / 5) * 7 + 3) * DAY_MS;
  let high = nowMs;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (isOverdue(middle)) low = middle;
    else high = middle;
  }
  return new Date(low).toISOString();
}
