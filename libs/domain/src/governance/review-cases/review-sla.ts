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
