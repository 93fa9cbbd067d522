import {
  AUTHENTICATOR_KINDS,
  AuthenticatorKind,
  Channel,
  CHANNELS,
  RECOVERY_METHODS,
  RecoveryMethod,
  RISK_LEVELS,
  RiskLevel,
} from '../event-catalog/vocabulary';
import { AssuranceLevel } from '../ledger-events/ledger-events';
import { REVIEW_SEVERITIES, type ReviewSeverity } from '../governance/review-cases/review-severity';

/** Durations are whole seconds, the unit of RFC 9470 `max_age`. */
export interface SessionLimits {
  maxLifetimeSeconds: number;
  /** null: no idle limit (AAL1 in SP 800-63B-4). */
  idleTimeoutSeconds: number | null;
}

export const DEVICE_CONDITIONS = ['new', 'unmanaged', 'non-compliant'] as const;
export type DeviceCondition = (typeof DEVICE_CONDITIONS)[number];

export const RISK_ACTIONS = ['require-aal', 'step-up', 'deny'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];

/** A rule fires when any listed condition holds; at least one condition is required. */
export interface RiskRule {
  name: string;
  when: { riskLevels?: RiskLevel[]; signals?: string[]; devices?: DeviceCondition[] };
  action: RiskAction;
  /** Only for `require-aal`. */
  aal?: AssuranceLevel;
}

export interface ApplicationOverride {
  requiredAal: AssuranceLevel;
  /** A label for reports, e.g. `critical`; it does not change evaluation. */
  tier?: string;
}

export type AalKey = 'aal1' | 'aal2' | 'aal3';

export interface AssurancePolicy {
  requiredAal: Record<Channel, AssuranceLevel>;
  applications: Record<string, ApplicationOverride>;
  riskRules: RiskRule[];
  fallback: { acceptableMethods: AuthenticatorKind[] };
  recovery: { acceptableMethods: Record<AalKey, RecoveryMethod[]> };
  sessions: Record<AalKey, SessionLimits> & { privileged: SessionLimits };
  /** The longest exception a reviewer may grant. */
  exceptions: { maxDurationSeconds: number };
  /** How governance is paced; optional in a document, defaulted field by field. */
  governance: GovernanceSettings;
}

export interface GovernanceSettings {
  /** A review case or pending exception older than this many business days (Monday to Friday) is past its SLA. */
  reviewSlaBusinessDays: number;
  /** SP 800-63B-4 §4: binding a new authenticator needs an authentication within this many minutes before it. */
  enrollmentReauthenticationWindowMinutes: number;
  /**
   * Business days a review case of each severity may stay unresolved (issue 16); a severity left
   * out takes DEFAULT_REVIEW_SLA_BUSINESS_DAYS_BY_SEVERITY. Optional, and absent from the defaults,
   * so the policies published before it read and hash as they did. `reviewSlaBusinessDays` remains
   * the SLA of pending exceptions.
   */
  reviewSlaBusinessDaysBySeverity?: Partial<Record<ReviewSeverity, number>>;
}

export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = Object.freeze({
  reviewSlaBusinessDays: 5,
  enrollmentReauthenticationWindowMinutes: 10,
});

/**
 * Versions published before the governance settings existed hold no
 * `governance`; they are read with the defaults, which are what was in force.
 */
export function withGovernanceDefaults(
  policy: Omit<AssurancePolicy, 'governance'> & { governance?: Partial<GovernanceSettings> },
): AssurancePolicy {
  return { ...policy, governance: { ...DEFAULT_GOVERNANCE_SETTINGS, ...policy.governance } };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Version 1 of every tenant's policy, in force until something is published.
 * It is frozen history: verdicts already recorded under version 1 are replayed
 * against it, so a change here must ship as a published version instead.
 */
export const DEFAULT_POLICY: AssurancePolicy = deepFreeze({
  requiredAal: { web: 2, vpn: 2, saas: 2, privileged: 3, api: 2 },
  applications: {},
  riskRules: [
    { name: 'impossible-travel-denies', when: { signals: ['impossible-travel'] }, action: 'deny' },
    { name: 'high-risk-requires-aal3', when: { riskLevels: ['high'] }, action: 'require-aal', aal: 3 },
    { name: 'new-or-unmanaged-device-steps-up', when: { devices: ['new', 'unmanaged'] }, action: 'step-up' },
  ],
  fallback: { acceptableMethods: ['push-number-match', 'totp', 'password', 'recovery-code', 'temporary-access-pass'] },
  recovery: {
    acceptableMethods: {
      aal1: ['recovery-code', 'help-desk', 're-proofing', 'temporary-access-pass', 'recovery-contact', 'password-reset'],
      aal2: ['recovery-code', 'help-desk', 're-proofing', 'temporary-access-pass'],
      aal3: ['re-proofing', 'temporary-access-pass'],
    },
  },
  sessions: {
    aal1: { maxLifetimeSeconds: 30 * DAY, idleTimeoutSeconds: null },
    aal2: { maxLifetimeSeconds: 24 * HOUR, idleTimeoutSeconds: 1 * HOUR },
    aal3: { maxLifetimeSeconds: 12 * HOUR, idleTimeoutSeconds: 15 * MINUTE },
    privileged: { maxLifetimeSeconds: 12 * HOUR, idleTimeoutSeconds: 15 * MINUTE },
  },
  exceptions: { maxDurationSeconds: 30 * DAY },
  governance: { ...DEFAULT_GOVERNANCE_SETTINGS },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export interface PolicyIssue {
  /** Dotted path inside the policy document, e.g. `sessions.aal2.idleTimeoutSeconds`. */
  field: string;
  reason: string;
}

export type PolicyValidation = { valid: true; policy: AssurancePolicy } | { valid: false; issues: PolicyIssue[] };

const LONGEST_DURATION_SECONDS = 366 * DAY;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
const APPLICATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}$/;
const SIGNAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
const AAL_KEYS: readonly AalKey[] = ['aal1', 'aal2', 'aal3'];

/**
 * Validates a whole policy document. It collects every problem rather than the
 * first, so that an author fixes a document in one round trip.
 */
export function validatePolicyDocument(document: unknown): PolicyValidation {
  const issues: PolicyIssue[] = [];
  const check = new Checker(issues);
  const root = check.object(
    document,
    '',
    ['requiredAal', 'applications', 'riskRules', 'fallback', 'recovery', 'sessions', 'exceptions', 'governance'],
    {
      allRequired: true,
      optional: ['governance'],
    },
  );
  if (!root) return { valid: false, issues };

  const requiredAal = check.object(root.requiredAal, 'requiredAal', CHANNELS, { allRequired: true });
  if (requiredAal) {
    for (const channel of CHANNELS) check.aal(requiredAal[channel], `requiredAal.${channel}`);
    if (requiredAal.privileged !== undefined && requiredAal.privileged !== 3 && check.isAal(requiredAal.privileged)) {
      issues.push({ field: 'requiredAal.privileged', reason: 'the privileged channel requires AAL3' });
    }
  }

  const applications = check.record(root.applications, 'applications');
  if (applications) {
    for (const [applicationId, override] of Object.entries(applications)) {
      const field = `applications.${applicationId}`;
      if (!APPLICATION_ID_PATTERN.test(applicationId))
        issues.push({ field, reason: 'must be an application id: letters, digits and . _ : @ + -' });
      const entry = check.object(override, field, ['requiredAal', 'tier']);
      if (entry) {
        check.aal(entry.requiredAal, `${field}.requiredAal`);
        if (entry.tier !== undefined) check.name(entry.tier, `${field}.tier`);
      }
    }
  }

  const riskRules = check.list(root.riskRules, 'riskRules', 50);
  if (riskRules) {
    const names = new Set<string>();
    riskRules.forEach((rule, index) => {
      const field = `riskRules[${index}]`;
      const entry = check.object(rule, field, ['name', 'when', 'action', 'aal']);
      if (!entry) return;
      if (check.name(entry.name, `${field}.name`)) {
        if (names.has(entry.name as string)) issues.push({ field: `${field}.name`, reason: `duplicate rule name ${String(entry.name)}` });
        names.add(entry.name as string);
      }
      const when = check.object(entry.when, `${field}.when`, ['riskLevels', 'signals', 'devices']);
      if (when) {
        const conditions = [
          check.oneOfList(when.riskLevels, `${field}.when.riskLevels`, RISK_LEVELS),
          check.stringList(when.signals, `${field}.when.signals`, SIGNAL_PATTERN),
          check.oneOfList(when.devices, `${field}.when.devices`, DEVICE_CONDITIONS),
        ];
        if (conditions.every((list) => !list || list.length === 0)) {
          issues.push({ field: `${field}.when`, reason: 'must name at least one risk level, signal or device condition' });
        }
      }
      if (check.oneOf(entry.action, `${field}.action`, RISK_ACTIONS)) {
        if (entry.action === 'require-aal') check.aal(entry.aal, `${field}.aal`);
        else if (entry.aal !== undefined)
          issues.push({ field: `${field}.aal`, reason: `only a require-aal rule names an aal, not ${String(entry.action)}` });
      }
    });
  }

  const fallback = check.object(root.fallback, 'fallback', ['acceptableMethods'], { allRequired: true });
  if (fallback) check.oneOfList(fallback.acceptableMethods, 'fallback.acceptableMethods', AUTHENTICATOR_KINDS, { required: true });

  const recovery = check.object(root.recovery, 'recovery', ['acceptableMethods'], { allRequired: true });
  if (recovery) {
    const byAal = check.object(recovery.acceptableMethods, 'recovery.acceptableMethods', AAL_KEYS, { allRequired: true });
    if (byAal)
      for (const key of AAL_KEYS) check.oneOfList(byAal[key], `recovery.acceptableMethods.${key}`, RECOVERY_METHODS, { required: true });
  }

  const sessions = check.object(root.sessions, 'sessions', [...AAL_KEYS, 'privileged'], { allRequired: true });
  if (sessions) {
    const limits = Object.fromEntries(
      [...AAL_KEYS, 'privileged'].map((key) => [key, check.sessionLimits(sessions[key], `sessions.${key}`)]),
    ) as Record<AalKey | 'privileged', SessionLimits | undefined>;
    const { aal3, privileged } = limits;
    if (aal3 && privileged) {
      if (privileged.maxLifetimeSeconds > aal3.maxLifetimeSeconds) {
        issues.push({ field: 'sessions.privileged.maxLifetimeSeconds', reason: 'must not exceed sessions.aal3.maxLifetimeSeconds' });
      }
      if (
        aal3.idleTimeoutSeconds !== null &&
        (privileged.idleTimeoutSeconds === null || privileged.idleTimeoutSeconds > aal3.idleTimeoutSeconds)
      ) {
        issues.push({ field: 'sessions.privileged.idleTimeoutSeconds', reason: 'must not exceed sessions.aal3.idleTimeoutSeconds' });
      }
    }
  }

  const exceptions = check.object(root.exceptions, 'exceptions', ['maxDurationSeconds'], { allRequired: true });
  if (exceptions) check.duration(exceptions.maxDurationSeconds, 'exceptions.maxDurationSeconds');

  if (root.governance !== undefined) {
    const governance = check.object(root.governance, 'governance', [
      'reviewSlaBusinessDays',
      'enrollmentReauthenticationWindowMinutes',
      'reviewSlaBusinessDaysBySeverity',
    ]);
    if (governance) {
      if (governance.reviewSlaBusinessDaysBySeverity !== undefined) {
        const bySeverity = check.object(
          governance.reviewSlaBusinessDaysBySeverity,
          'governance.reviewSlaBusinessDaysBySeverity',
          REVIEW_SEVERITIES,
        );
        for (const severity of REVIEW_SEVERITIES) {
          if (bySeverity)
            check.wholeNumber(bySeverity[severity], `governance.reviewSlaBusinessDaysBySeverity.${severity}`, 1, 60, { optional: true });
        }
      }
      check.wholeNumber(governance.reviewSlaBusinessDays, 'governance.reviewSlaBusinessDays', 1, 60, { optional: true });
      check.wholeNumber(
        governance.enrollmentReauthenticationWindowMinutes,
        'governance.enrollmentReauthenticationWindowMinutes',
        1,
        24 * 60,
        { optional: true },
      );
    }
  }

  return issues.length > 0 ? { valid: false, issues } : { valid: true, policy: withGovernanceDefaults(document as AssurancePolicy) };
}

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly issues: PolicyIssue[]) {}

  private fail(field: string, reason: string): undefined {
    this.issues.push({ field, reason });
    return undefined;
  }

  object(
    value: unknown,
    field: string,
    allowed: readonly string[],
    { allRequired = false, optional = [] as readonly string[] } = {},
  ): Json | undefined {
    if (value === undefined) return this.fail(field || '(document)', 'is required');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(field || '(document)', 'must be an object');
    const prefix = field ? `${field}.` : '';
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${prefix}${key}`, `unknown field; expected one of: ${allowed.join(', ')}`);
    }
    const object = value as Json;
    if (allRequired) {
      for (const key of allowed) {
        if (object[key] === undefined && !optional.includes(key)) this.fail(`${prefix}${key}`, 'is required');
      }
    }
    return object;
  }

  record(value: unknown, field: string): Json | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(field, 'must be an object');
    return value as Json;
  }

  list(value: unknown, field: string, maxItems: number): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(field, 'must be an array');
    if (value.length > maxItems) return this.fail(field, `must hold at most ${maxItems} items`);
    return value;
  }

  isAal(value: unknown): value is AssuranceLevel {
    return value === 1 || value === 2 || value === 3;
  }

  aal(value: unknown, field: string): boolean {
    if (this.isAal(value)) return true;
    this.fail(field, value === undefined ? 'is required' : `must be an AAL: 1, 2 or 3, got ${JSON.stringify(value)}`);
    return false;
  }

  name(value: unknown, field: string): boolean {
    if (typeof value === 'string' && NAME_PATTERN.test(value)) return true;
    this.fail(field, 'must be a lowercase name of letters, digits and -, at most 80 characters');
    return false;
  }

  oneOf(value: unknown, field: string, allowed: readonly string[]): boolean {
    if (typeof value === 'string' && allowed.includes(value)) return true;
    this.fail(field, `must be one of: ${allowed.join(', ')}`);
    return false;
  }

  oneOfList(value: unknown, field: string, allowed: readonly string[], { required = false } = {}): unknown[] | undefined {
    if (value === undefined && !required) return undefined;
    const list = this.list(value, field, allowed.length);
    if (!list) return undefined;
    list.forEach((item, index) => this.oneOf(item, `${field}[${index}]`, allowed));
    if (new Set(list).size !== list.length) this.fail(field, 'must not repeat a value');
    return list;
  }

  stringList(value: unknown, field: string, pattern: RegExp): unknown[] | undefined {
    if (value === undefined) return undefined;
    const list = this.list(value, field, 50);
    list?.forEach((item, index) => {
      if (typeof item !== 'string' || !pattern.test(item))
        this.fail(`${field}[${index}]`, 'must be a signal name of letters, digits and . _ : -');
    });
    return list;
  }

  wholeNumber(value: unknown, field: string, min: number, max: number, { optional = false } = {}): boolean {
    if (value === undefined && optional) return true;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
    this.fail(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return false;
  }

  duration(value: unknown, field: string): boolean {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= LONGEST_DURATION_SECONDS) return true;
    this.fail(field, `must be a whole number of seconds from 1 to ${LONGEST_DURATION_SECONDS}, got ${JSON.stringify(value)}`);
    return false;
  }

  sessionLimits(value: unknown, field: string): SessionLimits | undefined {
    const limits = this.object(value, field, ['maxLifetimeSeconds', 'idleTimeoutSeconds'], { allRequired: true });
    if (!limits) return undefined;
    const lifetimeValid = this.duration(limits.maxLifetimeSeconds, `${field}.maxLifetimeSeconds`);
    const idleValid = limits.idleTimeoutSeconds === null || this.duration(limits.idleTimeoutSeconds, `${field}.idleTimeoutSeconds`);
    if (!lifetimeValid || !idleValid) return undefined;
    const parsed = limits as unknown as SessionLimits;
    if (parsed.idleTimeoutSeconds !== null && parsed.idleTimeoutSeconds > parsed.maxLifetimeSeconds) {
      return this.fail(`${field}.idleTimeoutSeconds`, 'must not exceed maxLifetimeSeconds');
    }
    return parsed;
  }
}

export function aalKey(aal: AssuranceLevel): AalKey {
  return `aal${aal}`;
}

/** A session limit compared with SP 800-63B-4 §2.1.3, §2.2.3 and §2.3.3. */
export interface SessionLimitFinding {
  /** Dotted path inside the policy document, which is also what `acknowledgedDeviations` names. */
  field: string;
  /** SHALL: refused. SHOULD: published only when acknowledged. */
  strength: 'SHALL' | 'SHOULD';
  clause: string;
  /** The longest value the text allows or recommends, in seconds. */
  limitSeconds: number;
  /** The value in the document; null is "no idle limit". */
  valueSeconds: number | null;
}

interface SessionLimitRule {
  key: AalKey | 'privileged';
  limit: keyof SessionLimits;
  strength: 'SHALL' | 'SHOULD';
  clause: string;
  limitSeconds: number;
}

/**
 * SP 800-63B-4 reauthentication limits. Only the AAL3 overall timeout is a
 * SHALL (§2.3.3: "SHALL be no more than 12 hours"); the others are SHOULDs.
 * The privileged channel requires AAL3, so it carries the AAL3 limits.
 * AAL1 has no idle limit (§2.1.3: "MAY be applied but is not required").
 */
const SESSION_LIMIT_RULES: readonly SessionLimitRule[] = [
  { key: 'aal3', limit: 'maxLifetimeSeconds', strength: 'SHALL', clause: 'SP 800-63B-4 §2.3.3', limitSeconds: 12 * HOUR },
  { key: 'privileged', limit: 'maxLifetimeSeconds', strength: 'SHALL', clause: 'SP 800-63B-4 §2.3.3', limitSeconds: 12 * HOUR },
  { key: 'aal1', limit: 'maxLifetimeSeconds', strength: 'SHOULD', clause: 'SP 800-63B-4 §2.1.3', limitSeconds: 30 * DAY },
  { key: 'aal2', limit: 'maxLifetimeSeconds', strength: 'SHOULD', clause: 'SP 800-63B-4 §2.2.3', limitSeconds: 24 * HOUR },
  { key: 'aal2', limit: 'idleTimeoutSeconds', strength: 'SHOULD', clause: 'SP 800-63B-4 §2.2.3', limitSeconds: 1 * HOUR },
  { key: 'aal3', limit: 'idleTimeoutSeconds', strength: 'SHOULD', clause: 'SP 800-63B-4 §2.3.3', limitSeconds: 15 * MINUTE },
  { key: 'privileged', limit: 'idleTimeoutSeconds', strength: 'SHOULD', clause: 'SP 800-63B-4 §2.3.3', limitSeconds: 15 * MINUTE },
];

/** Every session limit of a valid policy that goes beyond what SP 800-63B-4 requires or recommends. */
export function sessionLimitFindings(policy: AssurancePolicy): SessionLimitFinding[] {
  return SESSION_LIMIT_RULES.flatMap(({ key, limit, strength, clause, limitSeconds }) => {
    const valueSeconds = policy.sessions[key][limit];
    const beyond = valueSeconds === null || valueSeconds > limitSeconds;
    return beyond ? [{ field: `sessions.${key}.${limit}`, strength, clause, limitSeconds, valueSeconds }] : [];
  });
}

function describeFinding({ strength, clause, limitSeconds, valueSeconds }: SessionLimitFinding): string {
  const value = valueSeconds === null ? 'no limit' : `${valueSeconds} s`;
  return `${value} is beyond ${clause}, which ${strength === 'SHALL' ? 'requires' : 'recommends'} at most ${limitSeconds} s`;
}

/**
 * Checks a valid policy's session limits against the text: a limit beyond a
 * SHALL is refused; one beyond a SHOULD only when `acknowledged` names it. An
 * acknowledgement of something that is no deviation is refused too, so the
 * record never claims a deviation that is not there.
 */
export function checkSessionLimits(policy: AssurancePolicy, acknowledged: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const findings = sessionLimitFindings(policy);
  let acknowledgedFields: string[] = [];
  if (acknowledged !== undefined) {
    if (!Array.isArray(acknowledged) || acknowledged.some((field) => typeof field !== 'string') || acknowledged.length > 20) {
      return [
        {
          field: '(acknowledgedDeviations)',
          reason: 'must be a list of at most 20 policy field paths, e.g. sessions.aal2.maxLifetimeSeconds',
        },
      ];
    }
    acknowledgedFields = acknowledged as string[];
  }
  for (const finding of findings) {
    if (finding.strength === 'SHALL') issues.push({ field: finding.field, reason: `${describeFinding(finding)}; it cannot be published` });
    else if (!acknowledgedFields.includes(finding.field)) {
      issues.push({
        field: finding.field,
        reason: `${describeFinding(finding)}; list ${finding.field} in acknowledgedDeviations to publish it anyway`,
      });
    }
  }
  acknowledgedFields.forEach((field, index) => {
    const finding = findings.find((candidate) => candidate.field === field);
    if (!finding || finding.strength !== 'SHOULD') {
      issues.push({
        field: `(acknowledgedDeviations)[${index}]`,
        reason: `${field} is not a deviation from a SHOULD of SP 800-63B-4 in this document`,
      });
    } else if (acknowledgedFields.indexOf(field) !== index) {
      issues.push({ field: `(acknowledgedDeviations)[${index}]`, reason: `${field} is listed twice` });
    }
  });
  return issues;
}
