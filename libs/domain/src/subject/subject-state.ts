import { AuthenticatorKind, CatalogEvent, Channel, DeviceData, MethodUsed, RecoveryData, RecoveryMethod } from '../event-catalog';
import { AccessDecidedData, AchievedAssuranceLevel, AssuranceLevel, AuthenticationEvaluatedData } from '../ledger-events/ledger-events';
import type { FallbackEvaluatedData } from '../governance/exceptions/exception-events';
import { ownEntry } from './own-entry';

/** An event the ledger writes into a subject stream itself, shaped like a catalog event. */
export type LedgerSubjectEvent =
  | { type: 'assurance.authentication.evaluated'; data: AuthenticationEvaluatedData; time?: string; revision?: number }
  | { type: 'assurance.access.decided'; data: AccessDecidedData; time?: string; revision?: number }
  | { type: 'assurance.fallback.evaluated'; data: FallbackEvaluatedData; time?: string; revision?: number };

export type SubjectEvent = CatalogEvent | LedgerSubjectEvent;

/** Enough history to spot a pattern without letting a noisy subject grow its state forever. */
export const RECENT_HISTORY_LIMIT = 20;

export interface ProofingRecord {
  ial: number;
  method: string;
  evidence: string[];
  proofedBy: string;
  proofedAt?: string;
}

export type AuthenticatorStatus = 'active' | 'revoked';

export interface AuthenticatorRecord {
  authenticatorId: string;
  kind: AuthenticatorKind;
  phishingResistant: boolean;
  hardwareBound: boolean;
  syncable: boolean;
  userVerification: boolean;
  aaguid?: string;
  deviceId?: string;
  status: AuthenticatorStatus;
  enrolledAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export interface DeviceRecord {
  deviceId: string;
  platform: string;
  managed: boolean;
  compliant: boolean;
  bound: boolean;
  /** Occurrence time of the latest event about this device. */
  updatedAt?: string;
}

export type AuthenticationOutcome = 'succeeded' | 'failed';

export interface AuthenticationRecord {
  outcome: AuthenticationOutcome;
  at?: string;
  applicationId: string;
  methods: MethodUsed[];
  failureReason?: string;
  sessionId?: string;
  deviceId?: string;
  /** From the ledger's verdict, folded from `assurance.authentication.evaluated`. */
  achievedAal?: AchievedAssuranceLevel;
  requiredAal?: AssuranceLevel;
  verdict?: AuthenticationEvaluatedData['verdict'];
  policyVersion?: number;
}

export interface SessionRecord {
  sessionId: string;
  channel: Channel;
  applicationId: string;
  startedAt?: string;
  /** As the emitter reported it; the policy's own limits apply as well. */
  expiresAt?: string;
  /** The AAL of the evaluated authentication that started or last refreshed the session. */
  achievedAal?: AchievedAssuranceLevel;
  authenticatedAt?: string;
  /** The methods of that authentication: what an approved exception is judged against when access is decided. */
  methods?: MethodUsed[];
  deviceId?: string;
  /** The latest authentication in the session or decision that allowed access through it. */
  lastActivityAt?: string;
}

export interface FallbackRecord {
  at?: string;
  applicationId: string;
  channel: Channel;
  intendedMethod: AuthenticatorKind;
  usedMethod: AuthenticatorKind;
  reason: string;
  /** As the emitter reported it; the ledger's own judgement is `coveredBy`. */
  exceptionId?: string;
  /** From the ledger's `assurance.fallback.evaluated`: the exception that covered it, or null when none did. */
  coveredBy?: string | null;
}

export type RecoveryPhase = 'initiated' | 'completed' | 'failed';

export interface RecoveryRecord {
  phase: RecoveryPhase;
  at?: string;
  method: RecoveryMethod;
  verifiedBy: string;
  ticketId?: string;
  userNotified: boolean;
  /** The second person, from the recovery itself or a later `assurance.recovery.approved`. */
  approvedBy?: string;
  /** Where the recovery sits in the subject stream: what a later approval refers to. */
  revision?: number;
}

export interface SubjectState {
  proofing?: ProofingRecord;
  /** Every authenticator ever enrolled, revoked ones included, by authenticatorId. */
  authenticators: Readonly<Record<string, AuthenticatorRecord>>;
  /** Every device ever seen, bound or not, by deviceId. */
  devices: Readonly<Record<string, DeviceRecord>>;
  lastAuthenticationByChannel: Readonly<Partial<Record<Channel, AuthenticationRecord>>>;
  activeSessions: Readonly<Record<string, SessionRecord>>;
  /** Oldest first, at most RECENT_HISTORY_LIMIT. */
  recentFallbacks: readonly FallbackRecord[];
  /** Oldest first, at most RECENT_HISTORY_LIMIT. */
  recentRecoveries: readonly RecoveryRecord[];
  breakglassUses: number;
  eventCount: number;
  lastRevision?: number;
}

export function initialSubjectState(): SubjectState {
  return {
    authenticators: {},
    devices: {},
    lastAuthenticationByChannel: {},
    activeSessions: {},
    recentFallbacks: [],
    recentRecoveries: [],
    breakglassUses: 0,
    eventCount: 0,
  };
}

/**
 * Folds one event into the state. Total by design: it records history that was
 * already accepted, so it never refuses an event (that is `decide`'s job).
 */
export function evolve(state: SubjectState, event: SubjectEvent): SubjectState {
  const counted: SubjectState = {
    ...state,
    eventCount: state.eventCount + 1,
    lastRevision: event.revision ?? state.lastRevision,
  };
  return applyFact(counted, event);
}

function applyFact(state: SubjectState, event: SubjectEvent): SubjectState {
  const at = event.time;
  switch (event.type) {
    case 'assurance.identity.proofed': {
      const { ial, method, evidence, proofedBy } = event.data;
      return { ...state, proofing: { ial, method, evidence, proofedBy, proofedAt: at } };
    }
    case 'assurance.authenticator.enrolled': {
      const record: AuthenticatorRecord = { ...event.data, status: 'active', enrolledAt: at };
      return { ...state, authenticators: { ...state.authenticators, [record.authenticatorId]: record } };
    }
    case 'assurance.authenticator.revoked': {
      const { authenticatorId, reason } = event.data;
      const enrolled = ownEntry(state.authenticators, authenticatorId);
      if (!enrolled) {
        return state;
      }
      const revoked: AuthenticatorRecord = { ...enrolled, status: 'revoked', revokedAt: at, revocationReason: reason };
      return { ...state, authenticators: { ...state.authenticators, [authenticatorId]: revoked } };
    }
    case 'assurance.device.bound':
      return withDevice(state, event.data, at, true);
    case 'assurance.device.unbound':
      return withDevice(state, event.data, at, false);
    case 'assurance.device.compliance-changed':
      return withDevice(state, event.data, at, ownEntry(state.devices, event.data.deviceId)?.bound ?? false);
    case 'assurance.authentication.succeeded':
    case 'assurance.authentication.failed': {
      const { channel, applicationId, methods } = event.data;
      const { sessionId, deviceId } = event.data;
      const record: AuthenticationRecord =
        event.type === 'assurance.authentication.failed'
          ? { outcome: 'failed', at, applicationId, methods, failureReason: event.data.failureReason, sessionId, deviceId }
          : { outcome: 'succeeded', at, applicationId, methods, sessionId, deviceId };
      return { ...state, lastAuthenticationByChannel: { ...state.lastAuthenticationByChannel, [channel]: record } };
    }
    case 'assurance.fallback.used':
      return { ...state, recentFallbacks: keepRecent(state.recentFallbacks, { at, ...event.data }) };
    case 'assurance.fallback.evaluated':
      return withFallbackCoverage(state, event.data);
    case 'assurance.recovery.initiated':
      return withRecovery(state, 'initiated', event.data, at, event.revision);
    case 'assurance.recovery.completed':
      return withRecovery(state, 'completed', event.data, at, event.revision);
    case 'assurance.recovery.failed':
      return withRecovery(state, 'failed', event.data, at, event.revision);
    case 'assurance.recovery.approved': {
      const { recoveryRevision, approvedBy } = event.data;
      const recentRecoveries = state.recentRecoveries.map((recovery) =>
        recovery.revision === recoveryRevision ? { ...recovery, approvedBy } : recovery,
      );
      return { ...state, recentRecoveries };
    }
    case 'assurance.breakglass.used':
      return { ...state, breakglassUses: state.breakglassUses + 1 };
    case 'assurance.session.started': {
      const { sessionId, channel, applicationId, expiresAt } = event.data;
      const lastAuthentication = state.lastAuthenticationByChannel[channel];
      const startedBy =
        lastAuthentication?.outcome === 'succeeded' &&
        lastAuthentication.sessionId === sessionId &&
        lastAuthentication.achievedAal !== undefined
          ? lastAuthentication
          : undefined;
      const session: SessionRecord = {
        sessionId,
        channel,
        applicationId,
        startedAt: at,
        expiresAt,
        ...(startedBy && {
          achievedAal: startedBy.achievedAal,
          authenticatedAt: startedBy.at,
          methods: startedBy.methods,
          deviceId: startedBy.deviceId,
          lastActivityAt: at,
        }),
      };
      return { ...state, activeSessions: { ...state.activeSessions, [sessionId]: session } };
    }
    case 'assurance.session.ended':
    case 'assurance.session.revoked': {
      const { [event.data.sessionId]: _closed, ...stillActive } = state.activeSessions;
      return { ...state, activeSessions: stillActive };
    }
    case 'assurance.stepup.challenged':
    case 'assurance.stepup.completed':
    case 'assurance.stepup.failed':
      return state;
    case 'assurance.authentication.evaluated':
      return withVerdict(state, event.data);
    case 'assurance.access.decided':
      return withDecision(state, event.data);
    default: {
      // Compile-time exhaustiveness; at run time a retired type is simply history.
      event satisfies never;
      return state;
    }
  }
}

function withVerdict(state: SubjectState, verdict: AuthenticationEvaluatedData): SubjectState {
  const { channel, sessionId, achievedAal, requiredAal, policyVersion } = verdict;
  const evaluatedAt = verdict.authentication.time;
  const last = state.lastAuthenticationByChannel[channel];
  const lastAuthenticationByChannel = last
    ? { ...state.lastAuthenticationByChannel, [channel]: { ...last, achievedAal, requiredAal, verdict: verdict.verdict, policyVersion } }
    : state.lastAuthenticationByChannel;
  const session = sessionId === undefined ? undefined : ownEntry(state.activeSessions, sessionId);
  const activeSessions = session
    ? {
        ...state.activeSessions,
        [session.sessionId]: {
          ...session,
          achievedAal,
          authenticatedAt: evaluatedAt,
          // The verdict is appended right after its authentication, so the channel's last one is the one judged.
          ...(last && { methods: last.methods }),
          deviceId: verdict.deviceId,
          lastActivityAt: evaluatedAt,
        },
      }
    : state.activeSessions;
  return { ...state, lastAuthenticationByChannel, activeSessions };
}

/** Access allowed through a session is activity on it, which resets its idle clock. */
function withDecision(state: SubjectState, decision: AccessDecidedData): SubjectState {
  const session = decision.sessionId === undefined ? undefined : ownEntry(state.activeSessions, decision.sessionId);
  if (!session || decision.decision !== 'allow') return state;
  return { ...state, activeSessions: { ...state.activeSessions, [session.sessionId]: { ...session, lastActivityAt: decision.decidedAt } } };
}

/** The evaluation is appended right after its fallback, so it always judges the latest one. */
function withFallbackCoverage(state: SubjectState, evaluation: FallbackEvaluatedData): SubjectState {
  const last = state.recentFallbacks[state.recentFallbacks.length - 1];
  if (!last) return state;
  const judged: FallbackRecord = { ...last, coveredBy: evaluation.covered ? (evaluation.exceptionId ?? null) : null };
  return { ...state, recentFallbacks: [...state.recentFallbacks.slice(0, -1), judged] };
}

function withDevice(state: SubjectState, data: DeviceData, at: string | undefined, bound: boolean): SubjectState {
  const { deviceId, platform, managed, compliant } = data;
  const device: DeviceRecord = { deviceId, platform, managed, compliant, bound, updatedAt: at };
  return { ...state, devices: { ...state.devices, [deviceId]: device } };
}

function withRecovery(
  state: SubjectState,
  phase: RecoveryPhase,
  data: RecoveryData,
  at: string | undefined,
  revision: number | undefined,
): SubjectState {
  return {
    ...state,
    recentRecoveries: keepRecent(state.recentRecoveries, { phase, at, ...data, ...(revision !== undefined && { revision }) }),
  };
}

function keepRecent<T>(history: readonly T[], entry: T): T[] {
  return [...history, entry].slice(-RECENT_HISTORY_LIMIT);
}
