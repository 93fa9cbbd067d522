import { AuthenticationData, AuthenticatorKind, Channel, MethodUsed, RiskLevel } from '../event-catalog';
import {
  AccessDecidedData,
  AccessDecision,
  AchievedAssuranceLevel,
  AssuranceLevel,
  AuthenticationEvaluatedData,
  DecisionContext,
  ExceptionApplied,
  RuleFiring,
  SessionLimitsApplied,
} from '../ledger-events/ledger-events';
import { CoverageCandidate, evaluateCoverage } from '../governance/exceptions/exception-coverage';
import { ownEntry } from '../subject/own-entry';
import { AuthenticatorRecord, SubjectState } from '../subject/subject-state';
import { ASSURANCE_RULES_VERSION, deriveAssurance } from './assurance-level';
import { aalKey, AssurancePolicy, DeviceCondition, RiskRule, SessionLimits } from './policy-document';
import { PolicyHistory, policyInForceAt, PolicyVersion } from './policy-history';

/** What the requirement depends on, whether it comes from an authentication or a decision request. */
export interface RequirementInput {
  channel: Channel;
  applicationId: string;
  riskLevel?: RiskLevel;
  signals: readonly string[];
  deviceId?: string;
}

export interface Requirement {
  requiredAal: AssuranceLevel;
  /** The first deny rule that fired, if any. */
  denial?: RuleFiring;
  /** A step-up rule fired: only an authentication on the request's device satisfies it. */
  freshAuthentication?: RuleFiring;
  path: RuleFiring[];
}

export function requirementFor(policy: AssurancePolicy, input: RequirementInput, state: SubjectState): Requirement {
  let requiredAal = policy.requiredAal[input.channel];
  const path: RuleFiring[] = [{ rule: 'channel-minimum', detail: `channel ${input.channel} requires AAL${requiredAal}` }];
  const override = ownEntry(policy.applications, input.applicationId);
  if (override) {
    const tier = override.tier ? ` (tier ${override.tier})` : '';
    const effect =
      override.requiredAal > requiredAal
        ? `requires AAL${override.requiredAal}`
        : `asks AAL${override.requiredAal}; the channel minimum AAL${requiredAal} stands`;
    path.push({ rule: 'application-override', detail: `application ${input.applicationId}${tier} ${effect}` });
    requiredAal = Math.max(requiredAal, override.requiredAal) as AssuranceLevel;
  }
  let denial: RuleFiring | undefined;
  let freshAuthentication: RuleFiring | undefined;
  for (const rule of policy.riskRules) {
    const why = whyRuleMatches(rule, input, state);
    if (!why) continue;
    if (rule.action === 'deny') {
      const firing = { rule: rule.name, detail: `${why}: deny` };
      path.push(firing);
      denial ??= firing;
    } else if (rule.action === 'require-aal') {
      const raisedTo = Math.max(requiredAal, rule.aal ?? requiredAal) as AssuranceLevel;
      path.push({ rule: rule.name, detail: `${why}: requires AAL${rule.aal}` });
      requiredAal = raisedTo;
    } else {
      const firing = { rule: rule.name, detail: `${why}: step-up with a fresh authentication on this device` };
      path.push(firing);
      freshAuthentication ??= firing;
    }
  }
  return { requiredAal, denial, freshAuthentication, path };
}

function whyRuleMatches(rule: RiskRule, input: RequirementInput, state: SubjectState): string | undefined {
  const { riskLevels = [], signals = [], devices = [] } = rule.when;
  if (input.riskLevel && riskLevels.includes(input.riskLevel)) return `risk level ${input.riskLevel}`;
  const signal = signals.find((candidate) => input.signals.includes(candidate));
  if (signal) return `signal ${signal}`;
  const condition = devices.find((candidate) => deviceMatches(candidate, input.deviceId, state));
  if (condition) return `device ${input.deviceId} is ${condition}`;
  return undefined;
}

/** Without a device id nothing can be said about the device, so no device condition holds. */
function deviceMatches(condition: DeviceCondition, deviceId: string | undefined, state: SubjectState): boolean {
  if (deviceId === undefined) return false;
  const device = ownEntry(state.devices, deviceId);
  switch (condition) {
    case 'new':
      return !device?.bound;
    case 'unmanaged':
      return device !== undefined && !device.managed;
    case 'non-compliant':
      return device !== undefined && !device.compliant;
  }
}

export type VerdictOnAuthentication = Omit<AuthenticationEvaluatedData, 'authentication'>;

/** Approved exceptions that may apply to one subject, as the store holds them when the ledger judges. */
export interface ExceptionsInScope {
  subjectId: string;
  candidates: readonly CoverageCandidate[];
}

/**
 * The verdict on one successful authentication under one policy version,
 * against the state just before it. An approved exception turns an AAL
 * shortfall into `excepted` when it covers the authentication (scope, one of
 * its methods counted, its window): the exception lowers what is required
 * for its methods, and nothing else. A denial rule (a non-compliant device,
 * a high risk) is not an AAL shortfall, so no exception lifts it.
 */
export function evaluateAuthentication(
  authentication: AuthenticationData,
  state: SubjectState,
  policy: PolicyVersion,
  exceptions?: ExceptionsInScope,
  time?: string,
): VerdictOnAuthentication {
  const { channel, applicationId, sessionId, deviceId, risk } = authentication;
  const requirement = requirementFor(
    policy.policy,
    { channel, applicationId, deviceId, riskLevel: risk?.level, signals: risk?.signals ?? [] },
    state,
  );
  const assurance = deriveAssurance(authentication.methods, state.authenticators);
  const discounted = assurance.discounted.map(({ reason, detail }) => ({ rule: reason, detail }));
  const kinds = assurance.counted.map((method) => method.kind).join(' + ') || 'no counted method';
  const path = [...requirement.path, ...discounted, { rule: assurance.rule, detail: `achieved AAL${assurance.achievedAal} from ${kinds}` }];
  if (assurance.restriction) path.push({ rule: 'restricted-authenticator', detail: assurance.restriction.reason });
  const reasons: RuleFiring[] = [];
  if (assurance.achievedAal < requirement.requiredAal) {
    reasons.push({
      rule: 'aal-below-required',
      detail: `achieved AAL${assurance.achievedAal}, policy requires AAL${requirement.requiredAal}`,
    });
  }
  if (requirement.denial) {
    reasons.push({
      rule: 'access-should-have-been-denied',
      detail: `${requirement.denial.rule} denies this access, yet the authentication succeeded`,
    });
  }
  const exception =
    reasons.length > 0 && !requirement.denial && exceptions && time !== undefined
      ? coveringException(exceptions, {
          applicationId,
          channel,
          methods: assurance.counted.map((method) => method.kind),
          time,
        })
      : undefined;
  const verdict = reasons.length === 0 ? 'compliant' : exception ? 'excepted' : 'violation';
  path.push(
    verdict === 'compliant' ? { rule: 'aal-met', detail: `AAL${assurance.achievedAal} meets AAL${requirement.requiredAal}` } : reasons[0],
  );
  if (exception) {
    const applies = { rule: 'exception-applies', detail: `exception ${exception.exceptionId} allows this until ${exception.expiresAt}` };
    reasons.push(applies);
    path.push(applies);
  }
  return {
    applicationId,
    channel,
    ...(sessionId !== undefined && { sessionId }),
    ...(deviceId !== undefined && { deviceId }),
    requiredAal: requirement.requiredAal,
    achievedAal: assurance.achievedAal,
    phishingResistant: assurance.phishingResistant,
    amr: assurance.amr,
    acr: assurance.acr,
    verdict,
    reasons: verdict === 'compliant' ? [] : [...reasons, ...discounted],
    ...(exception && { exception }),
    policyVersion: policy.version,
    decisionPath: path,
    assuranceRulesVersion: ASSURANCE_RULES_VERSION,
    restricted: assurance.restriction !== undefined,
    ...(assurance.restriction && { restrictedReason: assurance.restriction.reason }),
  };
}

export function sessionLimitsFor(policy: AssurancePolicy, aal: AssuranceLevel, channel: Channel): SessionLimits {
  const byAal = policy.sessions[aalKey(aal)];
  if (channel !== 'privileged') return byAal;
  const privileged = policy.sessions.privileged;
  const idleLimits = [byAal.idleTimeoutSeconds, privileged.idleTimeoutSeconds].filter((limit): limit is number => limit !== null);
  return {
    maxLifetimeSeconds: Math.min(byAal.maxLifetimeSeconds, privileged.maxLifetimeSeconds),
    idleTimeoutSeconds: idleLimits.length > 0 ? Math.min(...idleLimits) : null,
  };
}

/**
 * RFC 9470 §3 `acr_values`: "in order of preference", and any one of them
 * satisfies the request. So the list holds only `nist-aal<n>` values that meet
 * the requirement, strongest first. `phr`/`phrh` are left out: they name no
 * AAL, and a key without user verification is phishing resistant at AAL1.
 */
export function acrValuesRequiring(requiredAal: AssuranceLevel): string[] {
  return ([3, 2, 1] as const).filter((aal) => aal >= requiredAal).map((aal) => `nist-aal${aal}`);
}

/** Quotes an RFC 9110 §5.6.4 quoted-string. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/**
 * The RFC 9470 §3 challenge for a step-up: `error="insufficient_user_authentication"`,
 * a description, `acr_values` (space-separated, in order of preference) and `max_age`.
 */
export function stepUpChallenge(acrValues: readonly string[], maxAge: number | null, description: string): string {
  const parameters = [
    'error="insufficient_user_authentication"',
    `error_description=${quoted(description)}`,
    `acr_values=${quoted(acrValues.join(' '))}`,
    ...(maxAge !== null ? [`max_age=${maxAge}`] : []),
  ];
  return `Bearer ${parameters.join(', ')}`;
}

/**
 * Kinds of the subject's active authenticators that reach `requiredAal` alone
 * or together with one other such authenticator that does not reach it alone.
 * Phishing-resistant kinds are always offered; the others only when the
 * policy lists them for fallback, as partners too.
 */
export function acceptableMethodsFor(state: SubjectState, requiredAal: AssuranceLevel, policy: AssurancePolicy): AuthenticatorKind[] {
  const active = Object.values(state.authenticators).filter((authenticator) => authenticator.status === 'active');
  const reach = (combination: AuthenticatorRecord[]) =>
    deriveAssurance(
      combination.map(({ kind, authenticatorId }) => ({ kind, authenticatorId, amr: [] })),
      state.authenticators,
    );
  const offerable = active.filter(
    (authenticator) => reach([authenticator]).phishingResistant || policy.fallback.acceptableMethods.includes(authenticator.kind),
  );
  const acceptable = new Map<AuthenticatorKind, AchievedAssuranceLevel>();
  for (const authenticator of offerable) {
    const alone = reach([authenticator]);
    // A partner that reaches the level on its own does not make this one useful.
    const reaches =
      alone.achievedAal >= requiredAal ||
      offerable.some(
        (partner) =>
          partner !== authenticator &&
          reach([partner]).achievedAal < requiredAal &&
          reach([authenticator, partner]).achievedAal >= requiredAal,
      );
    if (reaches)
      acceptable.set(authenticator.kind, Math.max(acceptable.get(authenticator.kind) ?? 0, alone.achievedAal) as AchievedAssuranceLevel);
  }
  // Strongest alone first, so a client can offer the first entry as the default.
  return [...acceptable].sort(([kindA, aalA], [kindB, aalB]) => aalB - aalA || kindA.localeCompare(kindB)).map(([kind]) => kind);
}

/** The exception that covers these facts for this subject, if any. */
function coveringException(
  exceptions: ExceptionsInScope,
  facts: { applicationId: string; channel: Channel; methods: readonly AuthenticatorKind[]; time: string },
): ExceptionApplied | undefined {
  const coverage = evaluateCoverage({ subjectId: exceptions.subjectId, ...facts }, exceptions.candidates);
  return coverage.covered ? { exceptionId: coverage.exceptionId!, expiresAt: coverage.expiresAt! } : undefined;
}

export interface AccessRequest {
  channel: Channel;
  applicationId: string;
  sessionId?: string;
  context: DecisionContext;
}

interface CurrentAssurance {
  aal: AchievedAssuranceLevel;
  deviceId?: string;
  /** The authentication that holds the level, when one does: what an exception is judged against. */
  heldBy?: { at: string; methods: readonly MethodUsed[] };
  session?: SessionLimitsApplied;
  /** Why the current AAL is 0, or which limits it stays within. */
  firing: RuleFiring;
  /** Set when a level was held but lost to a lifetime, idle or emitter expiry limit: when it was authenticated. */
  lostAuthenticatedAt?: string;
}

function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

function plusSeconds(instant: string, seconds: number): string {
  return new Date(Date.parse(instant) + seconds * 1000).toISOString();
}

interface LimitsCheck {
  /** Set when a limit has passed. */
  passed?: RuleFiring;
  expiresAt: string;
  idleExpiresAt: string | null;
  policyVersion: number;
}

/** Checks the limits of one authenticated session (or lone authentication) at `now`. */
function checkLimits(
  label: string,
  aal: AssuranceLevel,
  authenticatedAt: string,
  lastActivityAt: string,
  channel: Channel,
  history: PolicyHistory,
  now: string,
): LimitsCheck {
  const started = policyInForceAt(history, authenticatedAt);
  const limits = sessionLimitsFor(started.policy, aal, channel);
  const check: LimitsCheck = {
    expiresAt: plusSeconds(authenticatedAt, limits.maxLifetimeSeconds),
    idleExpiresAt: limits.idleTimeoutSeconds === null ? null : plusSeconds(lastActivityAt, limits.idleTimeoutSeconds),
    policyVersion: started.version,
  };
  const age = secondsBetween(authenticatedAt, now);
  if (age > limits.maxLifetimeSeconds) {
    check.passed = {
      rule: 'session-lifetime-exceeded',
      detail: `${label} authenticated at AAL${aal} ${Math.floor(age)} s ago; policy v${started.version} allows ${limits.maxLifetimeSeconds} s`,
    };
    return check;
  }
  const idle = secondsBetween(lastActivityAt, now);
  if (limits.idleTimeoutSeconds !== null && idle > limits.idleTimeoutSeconds) {
    check.passed = {
      rule: 'session-idle-timeout-exceeded',
      detail: `${label} idle for ${Math.floor(idle)} s; policy v${started.version} allows ${limits.idleTimeoutSeconds} s at AAL${aal}`,
    };
  }
  return check;
}

function currentAssurance(request: AccessRequest, state: SubjectState, history: PolicyHistory, now: string): CurrentAssurance {
  const { sessionId, channel } = request;
  if (sessionId !== undefined) {
    const session = ownEntry(state.activeSessions, sessionId);
    if (!session)
      return {
        aal: 0,
        firing: { rule: 'session-not-active', detail: `session ${sessionId} was never started, or has ended or been revoked` },
      };
    const { achievedAal, authenticatedAt } = session;
    if (achievedAal === undefined || authenticatedAt === undefined) {
      return { aal: 0, firing: { rule: 'session-assurance-unknown', detail: `no evaluated authentication started session ${sessionId}` } };
    }
    if (achievedAal === 0)
      return { aal: 0, firing: { rule: 'no-assurance', detail: `the authentication of session ${sessionId} reached no AAL` } };
    // A session opened on the privileged channel keeps the privileged limits wherever it is used.
    const limitsChannel = session.channel === 'privileged' ? session.channel : channel;
    const check = checkLimits(
      `session ${sessionId}`,
      achievedAal,
      authenticatedAt,
      session.lastActivityAt ?? authenticatedAt,
      limitsChannel,
      history,
      now,
    );
    const emitterExpiry =
      session.expiresAt !== undefined && Date.parse(session.expiresAt) < Date.parse(check.expiresAt) ? session.expiresAt : undefined;
    const applied: SessionLimitsApplied = {
      sessionId,
      aal: achievedAal,
      authenticatedAt,
      expiresAt: emitterExpiry ?? check.expiresAt,
      idleExpiresAt: check.idleExpiresAt,
      policyVersion: check.policyVersion,
    };
    if (emitterExpiry !== undefined && Date.parse(now) > Date.parse(emitterExpiry)) {
      return {
        aal: 0,
        session: applied,
        firing: { rule: 'session-expired', detail: `session ${sessionId} expired at ${emitterExpiry}, as its emitter reported` },
        lostAuthenticatedAt: authenticatedAt,
      };
    }
    if (check.passed) return { aal: 0, session: applied, firing: check.passed, lostAuthenticatedAt: authenticatedAt };
    return {
      aal: achievedAal,
      deviceId: session.deviceId,
      heldBy: { at: authenticatedAt, methods: session.methods ?? [] },
      session: applied,
      firing: { rule: 'current-session', detail: `session ${sessionId} holds AAL${achievedAal} within its limits` },
    };
  }
  const last = state.lastAuthenticationByChannel[channel];
  if (!last || last.outcome !== 'succeeded' || last.achievedAal === undefined || last.at === undefined) {
    return { aal: 0, firing: { rule: 'no-recent-authentication', detail: `no evaluated successful authentication on channel ${channel}` } };
  }
  if (last.achievedAal === 0)
    return { aal: 0, firing: { rule: 'no-assurance', detail: `the last ${channel} authentication reached no AAL` } };
  const check = checkLimits(`the last ${channel} authentication`, last.achievedAal, last.at, last.at, channel, history, now);
  if (check.passed) return { aal: 0, firing: check.passed, lostAuthenticatedAt: last.at };
  return {
    aal: last.achievedAal,
    deviceId: last.deviceId,
    heldBy: { at: last.at, methods: last.methods },
    firing: { rule: 'recent-authentication', detail: `the last ${channel} authentication, at ${last.at}, reached AAL${last.achievedAal}` },
  };
}

/**
 * Whether the subject may proceed now, or must step up. `now` is the server's
 * clock at the HTTP boundary; nothing here reads a clock.
 */
export function decideAccess(
  request: AccessRequest,
  state: SubjectState,
  history: PolicyHistory,
  now: string,
  decisionId: string,
  exceptions?: ExceptionsInScope,
): AccessDecidedData {
  const policy = policyInForceAt(history, now);
  const { context } = request;
  const requirement = requirementFor(
    policy.policy,
    {
      channel: request.channel,
      applicationId: request.applicationId,
      riskLevel: context.riskLevel,
      signals: context.signals,
      deviceId: context.deviceId,
    },
    state,
  );
  const current = currentAssurance(request, state, history, now);
  const reasons: RuleFiring[] = [...requirement.path, current.firing];
  const acceptableMethods = acceptableMethodsFor(state, requirement.requiredAal, policy.policy);
  const freshOnThisDevice =
    requirement.freshAuthentication !== undefined && current.deviceId !== undefined && current.deviceId === context.deviceId;
  const freshEnough = !requirement.freshAuthentication || freshOnThisDevice;
  const inForce = exceptions && !requirement.denial ? exceptionsInForce(exceptions, now) : undefined;
  const where = { applicationId: request.applicationId, channel: request.channel };
  // The current authentication, judged as its verdict would be now: an exception in force that covers it.
  const covering =
    inForce && current.heldBy && current.aal > 0 && current.aal < requirement.requiredAal && freshEnough
      ? coveringException(inForce, { ...where, methods: countedKinds(current.heldBy.methods, state), time: current.heldBy.at })
      : undefined;
  // Otherwise an exception in force offers its methods, as far as the subject has them enrolled, for the step-up.
  const offered =
    inForce && !covering && freshEnough ? coveringException(inForce, { ...where, methods: activeKinds(state), time: now }) : undefined;
  const exceptionMethods = offered ? exceptionMethodsFor(offered, inForce!, state, acceptableMethods) : [];
  const exception = covering ?? (exceptionMethods.length > 0 ? offered : undefined);

  let decision: AccessDecision;
  if (requirement.denial) {
    decision = 'deny';
  } else if (current.aal >= requirement.requiredAal && freshEnough) {
    decision = 'allow';
    reasons.push({ rule: 'aal-met', detail: `current AAL${current.aal} meets AAL${requirement.requiredAal}` });
  } else if (covering) {
    decision = 'allow';
    reasons.push(
      { rule: 'aal-below-required', detail: `current AAL${current.aal}, policy requires AAL${requirement.requiredAal}` },
      {
        rule: 'exception-applies',
        detail: `exception ${covering.exceptionId} covers the current authentication until ${covering.expiresAt}`,
      },
    );
  } else if (acceptableMethods.length === 0 && exceptionMethods.length === 0) {
    decision = 'deny';
    reasons.push({
      rule: 'no-enrolled-method-meets-aal',
      detail: `no active enrolled authenticator acceptable to the policy reaches AAL${requirement.requiredAal}`,
    });
  } else {
    decision = 'step-up';
    if (exception) {
      reasons.push({
        rule: 'exception-applies',
        detail: `exception ${exception.exceptionId} allows ${exceptionMethods.join(', ')} until ${exception.expiresAt}`,
      });
    }
    reasons.push(
      current.aal < requirement.requiredAal
        ? { rule: 'aal-below-required', detail: `current AAL${current.aal}, policy requires AAL${requirement.requiredAal}` }
        : {
            rule: 'fresh-authentication-required',
            detail: `${requirement.freshAuthentication!.rule} needs an authentication on device ${context.deviceId}`,
          },
    );
  }
  const acrValues = acrValuesRequiring(requirement.requiredAal);
  const maxAge = withinException(
    maxAgeFor(decision, requirement, freshOnThisDevice, policy.policy, request.channel, current, now),
    exception,
    covering ? current.heldBy!.at : now,
  );
  return {
    decisionId,
    applicationId: request.applicationId,
    channel: request.channel,
    ...(request.sessionId !== undefined && { sessionId: request.sessionId }),
    context,
    decision,
    requiredAal: requirement.requiredAal,
    currentAal: current.aal,
    acrValues,
    maxAge,
    wwwAuthenticate: decision === 'step-up' ? stepUpChallenge(acrValues, maxAge, challengeDescription(requirement, current)) : null,
    acceptableMethods: decision === 'deny' ? [] : [...acceptableMethods, ...exceptionMethods],
    reasons,
    policyVersion: policy.version,
    decidedAt: now,
    ...(current.session && { session: current.session }),
    ...(exception && decision !== 'deny' && { exception }),
    assuranceRulesVersion: ASSURANCE_RULES_VERSION,
  };
}

/** Approved exceptions whose window is open now: an expired or revoked one stops counting at once, whatever the scheduler has written. */
function exceptionsInForce(exceptions: ExceptionsInScope, now: string): ExceptionsInScope {
  const instant = Date.parse(now);
  return {
    subjectId: exceptions.subjectId,
    candidates: exceptions.candidates.filter((candidate) => candidate.status === 'approved' && Date.parse(candidate.expiresAt) > instant),
  };
}

/** The kinds the assurance rules count among these methods, against the subject's authenticators now (a revoked one no longer counts). */
function countedKinds(methods: readonly MethodUsed[], state: SubjectState): AuthenticatorKind[] {
  return deriveAssurance(methods, state.authenticators).counted.map((method) => method.kind);
}

/** What the exception adds to the step-up: its allowed methods that the subject has active and the policy did not already offer. */
function exceptionMethodsFor(
  exception: ExceptionApplied,
  inForce: ExceptionsInScope,
  state: SubjectState,
  alreadyAcceptable: readonly AuthenticatorKind[],
): AuthenticatorKind[] {
  const allowed = inForce.candidates.find((candidate) => candidate.exceptionId === exception.exceptionId)!.allowedMethods;
  const enrolled = activeKinds(state);
  return allowed.filter((kind) => enrolled.includes(kind) && !alreadyAcceptable.includes(kind));
}

function activeKinds(state: SubjectState): AuthenticatorKind[] {
  return Object.values(state.authenticators)
    .filter((authenticator) => authenticator.status === 'active')
    .map((authenticator) => authenticator.kind);
}

/**
 * RFC 9470 §3 `max_age` counts from the authentication: under an exception it
 * must not let that authentication be used past the exception's expiry.
 */
function withinException(maxAge: number | null, exception: ExceptionApplied | undefined, authenticatedAt: string): number | null {
  if (maxAge === null || !exception) return maxAge;
  const untilExpiry = Math.floor((Date.parse(exception.expiresAt) - Date.parse(authenticatedAt)) / 1000);
  return Math.max(0, Math.min(maxAge, untilExpiry));
}

function challengeDescription(requirement: Requirement, current: CurrentAssurance): string {
  if (current.lostAuthenticatedAt !== undefined) return `A new authentication at AAL${requirement.requiredAal} is required`;
  if (current.aal < requirement.requiredAal) return `Authentication at AAL${requirement.requiredAal} is required`;
  return 'A fresh authentication on this device is required';
}

/**
 * RFC 9470 §3 `max_age`: the allowable seconds since the last active
 * authentication. 0 demands a new authentication now. When the level was lost
 * to a lifetime, idle or expiry limit, the stale authentication must not meet
 * the value, so it is kept below that authentication's age (the authorization
 * server then has to authenticate again). Otherwise the lifetime the required
 * AAL allows (SP 800-63B-4 §2.1.3, §2.2.3, §2.3.3).
 */
function maxAgeFor(
  decision: AccessDecision,
  requirement: Requirement,
  freshOnThisDevice: boolean,
  policy: AssurancePolicy,
  channel: Channel,
  current: CurrentAssurance,
  now: string,
): number | null {
  if (decision === 'deny') return null;
  if (requirement.freshAuthentication && !freshOnThisDevice) return 0;
  const lifetime = sessionLimitsFor(policy, requirement.requiredAal, channel).maxLifetimeSeconds;
  if (decision === 'step-up' && current.lostAuthenticatedAt !== undefined) {
    const age = secondsBetween(current.lostAuthenticatedAt, now);
    return Math.max(0, Math.min(lifetime, Math.ceil(age) - 1));
  }
  return lifetime;
}
