import { Decider, DomainRuleViolation } from '../decider';
import { PolicyPublishedData } from '../ledger-events/ledger-events';
import {
  AssurancePolicy,
  checkSessionLimits,
  DEFAULT_POLICY,
  PolicyIssue,
  validatePolicyDocument,
  withGovernanceDefaults,
} from './policy-document';

export interface PolicyVersion {
  version: number;
  policy: AssurancePolicy;
  /** null for the built-in version 1, in force from the beginning of time. */
  effectiveFrom: string | null;
  publishedBy?: string;
  /** Policy fields whose limits go beyond a SHOULD of SP 800-63B-4, acknowledged when published. */
  acknowledgedDeviations?: readonly string[];
}

export const BUILT_IN_POLICY_VERSION: PolicyVersion = Object.freeze({ version: 1, policy: DEFAULT_POLICY, effectiveFrom: null });

/** Every version of one tenant's policy, oldest first; version n sits at index n - 1. */
export interface PolicyHistory {
  versions: readonly PolicyVersion[];
}

export interface PolicyPublishedEvent {
  type: 'assurance.policy.published';
  data: PolicyPublishedData;
  time?: string;
  revision?: number;
}

export interface PublishPolicy {
  type: 'PublishPolicy';
  /** Untrusted: validated here. */
  document: unknown;
  /** The version the author edited; the publication is refused if another landed since. */
  expectedVersion: number;
  publishedAt: string;
  publishedBy?: string;
  /** Untrusted: policy fields the author knowingly sets beyond a SHOULD of SP 800-63B-4. */
  acknowledgedDeviations?: unknown;
}

export class InvalidPolicyError extends Error {
  constructor(readonly issues: PolicyIssue[]) {
    super(`the policy document has ${issues.length} problem(s); nothing was published`);
    this.name = 'InvalidPolicyError';
  }
}

export class PolicyVersionConflict extends DomainRuleViolation<'policy-version-conflict'> {}

export function initialPolicyHistory(): PolicyHistory {
  return { versions: [BUILT_IN_POLICY_VERSION] };
}

export function evolvePolicyHistory(history: PolicyHistory, event: PolicyPublishedEvent): PolicyHistory {
  const { version, policy, publishedAt, publishedBy, acknowledgedDeviations } = event.data;
  return {
    versions: [
      ...history.versions,
      {
        version,
        policy: withGovernanceDefaults(policy),
        effectiveFrom: publishedAt,
        ...(publishedBy && { publishedBy }),
        ...(acknowledgedDeviations && { acknowledgedDeviations }),
      },
    ],
  };
}

export function decidePolicyPublication(command: PublishPolicy, history: PolicyHistory): PolicyPublishedEvent[] {
  // Validation first: the author learns every problem before rebasing on a newer version.
  const validation = validatePolicyDocument(command.document);
  if (!validation.valid) throw new InvalidPolicyError(validation.issues);
  const limitIssues = checkSessionLimits(validation.policy, command.acknowledgedDeviations);
  if (limitIssues.length > 0) throw new InvalidPolicyError(limitIssues);
  const current = currentPolicy(history);
  if (command.expectedVersion !== current.version) {
    throw new PolicyVersionConflict(
      'policy-version-conflict',
      `expectedVersion is ${command.expectedVersion} but the current policy version is ${current.version}; reload it and edit again`,
    );
  }
  if (current.effectiveFrom !== null && Date.parse(command.publishedAt) < Date.parse(current.effectiveFrom)) {
    // Versions must take effect in publication order, or "the version in force at t" would be ambiguous.
    throw new PolicyVersionConflict(
      'policy-version-conflict',
      `publishedAt ${command.publishedAt} is before version ${current.version} took effect`,
    );
  }
  const data: PolicyPublishedData = {
    version: current.version + 1,
    policy: validation.policy,
    publishedAt: command.publishedAt,
    ...(command.publishedBy !== undefined && { publishedBy: command.publishedBy }),
    ...(Array.isArray(command.acknowledgedDeviations) &&
      command.acknowledgedDeviations.length > 0 && { acknowledgedDeviations: command.acknowledgedDeviations as string[] }),
  };
  return [{ type: 'assurance.policy.published', data, time: command.publishedAt }];
}

export const policyDecider: Decider<PolicyHistory, PublishPolicy, PolicyPublishedEvent> = {
  decide: decidePolicyPublication,
  evolve: evolvePolicyHistory,
  initialState: initialPolicyHistory,
};

export function currentPolicy(history: PolicyHistory): PolicyVersion {
  return history.versions[history.versions.length - 1];
}

export function policyVersionNumbered(history: PolicyHistory, version: number): PolicyVersion | undefined {
  return Number.isInteger(version) && version >= 1 ? history.versions[version - 1] : undefined;
}

/** The latest version whose effective instant is not after `at`. */
export function policyInForceAt(history: PolicyHistory, at: string): PolicyVersion {
  const instant = Date.parse(at);
  for (let index = history.versions.length - 1; index > 0; index--) {
    const candidate = history.versions[index];
    if (candidate.effectiveFrom !== null && Date.parse(candidate.effectiveFrom) <= instant) return candidate;
  }
  return history.versions[0];
}

/** Policy stream of one tenant. */
export function policyStream(tenant = 'default'): string {
  return `policy-${tenant}`;
}
