import { CommandPath, EventStore, KeyedMutex, StreamState } from '@ledger/event-store';
import {
  currentPolicy,
  decidePolicyPublication,
  evolvePolicyHistory,
  initialPolicyHistory,
  InvalidPolicyError,
  PolicyHistory,
  PolicyPublishedEvent,
  policyStream,
  PolicyVersionConflict,
  policyVersionNumbered,
  evolveRecorded,
  isPolicyPublishedEvent,
  SessionLimitFinding,
  sessionLimitFindings,
} from '@ledger/domain';
import { NotFoundError } from '../shared/api-errors';
import { ledgerEventToAppend } from '../shared/ledger-written-event';
import type { WriteContext } from '../shared/write-context';

const evolveRecordedPolicy = evolveRecorded(isPolicyPublishedEvent, evolvePolicyHistory);

export interface PolicyVersionView {
  version: number;
  /** null for the built-in version 1, in force from the beginning of time. */
  effectiveFrom: string | null;
  builtIn: boolean;
  publishedBy?: string;
  policy: PolicyPublishedEvent['data']['policy'];
  /** Fields beyond a SHOULD of SP 800-63B-4 that the publisher acknowledged, as recorded in the event. */
  acknowledgedDeviations: readonly string[];
  /** Computed now: every session limit beyond SP 800-63B-4 §2.1.3, §2.2.3 or §2.3.3, with its clause. */
  deviations: SessionLimitFinding[];
}

export interface PolicyPublication {
  document: unknown;
  expectedVersion: number;
  publishedBy?: string;
  /** Untrusted: checked by the domain against the document's deviations. */
  acknowledgedDeviations?: unknown;
}

export interface PublishedPolicy {
  version: number;
  effectiveFrom: string;
  stream: string;
  revision: number;
  position: number;
  hash: string;
}

/** A refused document's problems, each named by its full path inside a publication body (`policy.sessions.aal2…`). */
export function policyIssues(error: InvalidPolicyError): Array<{ field: string; reason: string }> {
  return error.issues.map(({ field, reason }) => ({
    field:
      field === '(document)'
        ? 'policy'
        : field.startsWith('(acknowledgedDeviations)')
          ? field.slice(1).replace(')', '')
          : `policy.${field}`,
    reason,
  }));
}

/**
 * Every version of the policy, folded from its stream. Shared by publishing,
 * reading, verdicts and decisions; each load reads only what was appended
 * since, so another process's publication is seen on the next request.
 */
export class PolicyHistoryStore {
  readonly stream = policyStream();
  private readonly path: CommandPath<PolicyHistory>;
  /**
   * Orders, in this process, a publication (stamp its time, append) against an
   * evaluation (stamp its time, read the history). Without it an authentication
   * stamped after a publication's time but read before its append would be
   * judged by the older version, and replay would pick the newer one.
   */
  private readonly publication = new KeyedMutex();

  constructor(store: EventStore) {
    this.path = new CommandPath(store, { initialState: initialPolicyHistory, evolve: evolveRecordedPolicy, maxStreams: 16 });
  }

  load(): Promise<StreamState<PolicyHistory>> {
    return this.path.load(this.stream);
  }

  /** The history as it stands at `now()`, read as one step with taking that instant. */
  snapshot(now: () => string): Promise<{ at: string; history: PolicyHistory }> {
    return this.publication.runExclusive([this.stream], async () => {
      const at = now();
      const { state } = await this.load();
      return { at, history: state };
    });
  }

  /** One version, or the current one; NotFoundError for a version never published. */
  async version(version?: number): Promise<PolicyVersionView> {
    const { state } = await this.load();
    const found = version === undefined ? currentPolicy(state) : policyVersionNumbered(state, version);
    if (!found) throw new NotFoundError(`policy version ${version} does not exist; the current version is ${currentPolicy(state).version}`);
    return {
      version: found.version,
      effectiveFrom: found.effectiveFrom,
      builtIn: found.effectiveFrom === null,
      ...(found.publishedBy !== undefined && { publishedBy: found.publishedBy }),
      policy: found.policy,
      acknowledgedDeviations: found.acknowledgedDeviations ?? [],
      deviations: sessionLimitFindings(found.policy),
    };
  }

  /**
   * Publishes the document as `expectedVersion + 1`, in force from the server's clock, taken under
   * the publication lock. InvalidPolicyError for a document the author must fix; PolicyVersionConflict
   * when another version was published since the author read `expectedVersion`, here or in another process.
   */
  publish(
    { document, expectedVersion, publishedBy, acknowledgedDeviations }: PolicyPublication,
    context: WriteContext,
  ): Promise<PublishedPolicy> {
    return this.publication.runExclusive([this.stream], async () => {
      const publishedAt = new Date().toISOString();
      let version = expectedVersion + 1;
      const { appended } = await this.path.handle(
        this.stream,
        (loaded) => {
          const [decided] = decidePolicyPublication(
            { type: 'PublishPolicy', document, expectedVersion, publishedAt, publishedBy, acknowledgedDeviations },
            loaded.state,
          );
          version = decided.data.version;
          const event = ledgerEventToAppend({
            type: 'assurance.policy.published',
            data: decided.data,
            cloudEventId: `${this.stream}#v${version}`,
            subject: this.stream,
            time: publishedAt,
            recordedAt: publishedAt,
            ...context,
          });
          return { events: [event], result: undefined };
        },
        {
          // Another process published first; its version is the one the author must now edit from.
          maxAttempts: 1,
          onConflict: () =>
            new PolicyVersionConflict(
              'policy-version-conflict',
              `version ${version} was published concurrently; reload the policy and edit again`,
            ),
        },
      );
      const [stored] = appended;
      return {
        version,
        effectiveFrom: publishedAt,
        stream: stored.streamId,
        revision: stored.revision,
        position: stored.position,
        hash: String(stored.metadata.hash),
      };
    });
  }
}
