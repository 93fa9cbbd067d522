import { isPolicyPublishedEvent, LEDGER_EVENT_TYPES, typedStoredEvent } from '../ledger-events';
import { PolicyHistory } from '../policy/policy-history';
import { evolvePolicyHistory, policyStream } from '../policy/policy-history';
import { StoredEventFacts } from './projected-event';

/**
 * The projections judge a subject event by the policy versions published
 * before it in the global order, the same on a live run and on a rebuild.
 * Folds one stored event into that history; anything but a publication
 * leaves it as it is.
 */
export function withPolicyPublication(history: PolicyHistory, event: StoredEventFacts): PolicyHistory {
  if (event.type !== LEDGER_EVENT_TYPES.policyPublished || event.streamId !== policyStream()) return history;
  const publication = typedStoredEvent(event);
  return publication && isPolicyPublishedEvent(publication) ? evolvePolicyHistory(history, publication) : history;
}
