import { REVIEW_CASE_CATEGORY } from '../governance/review-cases/review-case-events';
import { isReviewCaseEvent, typedStoredEvent } from '../ledger-events';
import { StoredEventFacts } from './projected-event';
import { ReviewCaseActionRecord, ReviewItemStatus } from './review-items';

/** What one reviewer action changes on the review item it acts on. */
export interface ReviewItemUpdate {
  itemId: string;
  /** Undefined when the action leaves the status as it is (taking a case). */
  status?: ReviewItemStatus;
  action: ReviewCaseActionRecord;
}

const CASE_STREAM_PREFIX = `${REVIEW_CASE_CATEGORY}-`;

/** Actions recorded before cases were grouped carry no count; a malformed one is left out rather than trusted. */
function occurrencesOf(occurrences: unknown): { occurrences?: number } {
  return typeof occurrences === 'number' && Number.isInteger(occurrences) && occurrences > 0 ? { occurrences } : {};
}

/**
 * A reviewer action read back from a case stream. The decider already refused
 * every transition that is not allowed, so the status follows from the action
 * alone. `undefined` for any other stream or type.
 */
export function projectReviewCaseEvent(event: StoredEventFacts): ReviewItemUpdate | undefined {
  if (!event.streamId.startsWith(CASE_STREAM_PREFIX)) return undefined;
  const caseEvent = typedStoredEvent(event);
  if (!caseEvent || !isReviewCaseEvent(caseEvent)) return undefined;
  const itemId = event.streamId.slice(CASE_STREAM_PREFIX.length);
  const { position } = event;
  switch (caseEvent.type) {
    case 'assurance.review.acknowledged': {
      const { acknowledgedBy, note, at, occurrences, batchId } = caseEvent.data;
      return {
        itemId,
        status: 'acknowledged',
        action: {
          action: 'acknowledged',
          by: acknowledgedBy,
          at,
          ...(note !== undefined && { note }),
          ...occurrencesOf(occurrences),
          ...(typeof batchId === 'string' && { batchId }),
          position,
        },
      };
    }
    case 'assurance.review.escalated': {
      const { escalatedBy, reason, at, occurrences, batchId } = caseEvent.data;
      return {
        itemId,
        status: 'escalated',
        action: {
          action: 'escalated',
          by: escalatedBy,
          at,
          reason,
          ...occurrencesOf(occurrences),
          ...(typeof batchId === 'string' && { batchId }),
          position,
        },
      };
    }
    case 'assurance.review.resolved': {
      const { resolvedBy, outcome, note, at, occurrences, batchId } = caseEvent.data;
      return {
        itemId,
        status: 'resolved',
        action: {
          action: 'resolved',
          by: resolvedBy,
          at,
          outcome,
          note,
          ...occurrencesOf(occurrences),
          ...(typeof batchId === 'string' && { batchId }),
          position,
        },
      };
    }
    case 'assurance.review.assigned': {
      const { assignee, previousAssignee, at, occurrences, batchId } = caseEvent.data;
      return {
        itemId,
        action: {
          action: 'assigned',
          by: assignee,
          at,
          ...(typeof previousAssignee === 'string' && { previousAssignee }),
          ...occurrencesOf(occurrences),
          ...(typeof batchId === 'string' && { batchId }),
          position,
        },
      };
    }
    default:
      return undefined;
  }
}
