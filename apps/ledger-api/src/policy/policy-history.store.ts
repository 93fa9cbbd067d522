import { Inject, Injectable } from '@nestjs/common';
import { AppendResult, EVENT_STORE, EventStore, KeyedMutex, RecordedEvent, StreamState, StreamStateCache } from '@ledger/event-store';
import { evolvePolicyHistory, initialPolicyHistory, PolicyHistory, PolicyPublishedEvent, policyStream, upcastStoredEvent } from '@ledger/domain';

function evolveRecordedPolicy(history: PolicyHistory, recorded: RecordedEvent): PolicyHistory {
  if (recorded.type !== 'assurance.policy.published') return history;
  const { data } = upcastStoredEvent(recorded.type, Number(recorded.metadata.schemaVersion ?? 1), recorded.data);
  return evolvePolicyHistory(history, { type: 'assurance.policy.published', data: data as PolicyPublishedEvent['data'] });
}

/**
 * Every version of the policy, folded from its stream. Shared by publishing,
 * reading, verdicts and decisions; each load reads only what was appended
 * since, so another process's publication is seen on the next request.
 */
@Injectable()
export class PolicyHistoryStore {
  readonly stream = policyStream();
  private readonly cache: StreamStateCache<PolicyHistory>;
  /**
   * Orders, in this process, a publication (stamp its time, append) against an
   * evaluation (stamp its time, read the history). Without it an authentication
   * stamped after a publication's time but read before its append would be
   * judged by the older version, and replay would pick the newer one.
   */
  private readonly publication = new KeyedMutex();

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.cache = new StreamStateCache(store, { initialState: initialPolicyHistory, evolve: evolveRecordedPolicy, maxStreams: 16 });
  }

  load(): Promise<StreamState<PolicyHistory>> {
    return this.cache.load(this.stream);
  }

  /** The history as it stands at `now()`, read as one step with taking that instant. */
  snapshot(now: () => string): Promise<{ at: string; history: PolicyHistory }> {
    return this.publication.runExclusive([this.stream], async () => {
      const at = now();
      const { state } = await this.load();
      return { at, history: state };
    });
  }

  /** Runs a publication so that no evaluation reads the history between its timestamp and its append. */
  publishExclusively<T>(publication: () => Promise<T>): Promise<T> {
    return this.publication.runExclusive([this.stream], publication);
  }

  applyAppended(before: StreamState<PolicyHistory>, appended: AppendResult): void {
    this.cache.applyAppended(this.stream, before, appended);
  }

  forget(): void {
    this.cache.forget(this.stream);
  }
}
