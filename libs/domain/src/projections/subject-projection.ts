import { AuthenticatorEnrolledData, Channel, FallbackUsedData, RecoveryData, SUBJECT_CATEGORY } from '../event-catalog';
import { governanceSettingsOf } from '../governance/governance-settings';
import { PolicyHistory, policyInForceAt } from '../policy/policy-history';
import { isAssistedRecovery, isRecoveryWeakerThan, recoveryGovernanceOf } from '../governance/recovery-governance';
import { judgeEnrollment, RecentAuthentication } from '../governance/enrollment-governance';
import { LEDGER_EVENT_TYPES } from '../ledger-events';
import type { FallbackEvaluatedData } from '../governance/exceptions/exception-events';
import { evolve, initialSubjectState, FallbackRecord, RECENT_HISTORY_LIMIT, SubjectState } from '../subject';
import { fallbackDependenceOf, recoveryDependenceOf } from './recovery-dependence';
import { normalizedTime, occurredAtOf, StoredEventFacts, toSubjectEvent } from './projected-event';
import { hourBucketOf, PostureDelta, UNEVALUATED } from './posture';
import {
  AccessDecisionFacts,
  AuthenticationVerdict,
  isDeniedForLackOfEnrolledMethod,
  ReviewItem,
  ReviewItemKind,
  ReviewOccurrence,
  SourceEventLink,
} from './review-items';
import { reviewCaseOfAction, SubjectReviewCases, withOccurrences, withReviewAction } from './review-case-grouping';
import type { ReviewItemUpdate } from './review-case-projection';
import { activeAuthenticators, SubjectSummary, summarizeSubject } from './subject-summary';

/**
 * The stored read model of one subject. `state` is exactly what the domain's
 * `evolve` folds from the stream (verdicts included), so the auditor's
 * point-in-time replay and the help desk see the same thing.
 */
export interface SubjectDocument {
  subjectId: string;
  stream: string;
  state: SubjectState;
  summary: SubjectSummary;
  /** Highest authentication revision whose verdict was counted, so a re-evaluation is not counted twice. */
  lastEvaluatedRevision: number;
  /** The last evaluated authentications, oldest first: what a later enrollment is judged against. */
  recentAuthentications: RecentAuthentication[];
  /** Authenticators enrolled since the last identity proofing; null before any proofing. */
  enrollmentsSinceProofing: number | null;
  firstEventAt: string;
  lastEventAt: string;
  lastPosition: number;
  /** The subject's review cases, open and resolved, by case id: where a new occurrence finds the case it adds to. */
  reviewCases: SubjectReviewCases;
}

/** What one event changes across all read models. */
export interface SubjectProjectionStep {
  document: SubjectDocument;
  /** The review cases this event opened or added to, as they stand after it. */
  reviewItems: ReviewItem[];
  postureDeltas: PostureDelta[];
  /** Applications the subject authenticated to with this event. */
  applicationsUsed: string[];
}

const SUBJECT_STREAM_PREFIX = `${SUBJECT_CATEGORY}-`;

/** The subject id of a `subject-<id>` stream; undefined for any other stream. Runs several times per event, so no parsing. */
export function subjectIdOfStream(streamId: string): string | undefined {
  return streamId.length > SUBJECT_STREAM_PREFIX.length && streamId.startsWith(SUBJECT_STREAM_PREFIX)
    ? streamId.slice(SUBJECT_STREAM_PREFIX.length)
    : undefined;
}

export function newSubjectDocument(subjectId: string, stream: string, at: string): SubjectDocument {
  const state = initialSubjectState();
  return {
    subjectId,
    stream,
    state,
    summary: summarizeSubject(state),
    lastEvaluatedRevision: -1,
    recentAuthentications: [],
    enrollmentsSinceProofing: null,
    firstEventAt: at,
    lastEventAt: at,
    lastPosition: -1,
    reviewCases: {},
  };
}

/**
 * Applies one stored event of a subject stream. `undefined` when the event is
 * not about a subject or of a type this code does not know: projections skip it.
 * `policies` are the versions published before the event in the global order
 * (the built-in version alone when omitted).
 */
export function projectSubjectEvent(
  current: SubjectDocument | undefined,
  event: StoredEventFacts,
  policies?: PolicyHistory,
): SubjectProjectionStep | undefined {
  const subjectId = subjectIdOfStream(event.streamId);
  if (subjectId === undefined) return undefined;
  const subjectEvent = toSubjectEvent(event);
  if (!subjectEvent) return undefined;

  const at = occurredAtOf(event);
  const before = current ?? newSubjectDocument(subjectId, event.streamId, at);
  const state = evolve(before.state, subjectEvent);
  const document: SubjectDocument = {
    ...before,
    state,
    // Recomputed only when authenticators change: the AAL derivation is the costly part.
    summary: state.authenticators === before.state.authenticators ? before.summary : summarizeSubject(state),
    lastEventAt: at,
    lastPosition: event.position,
  };
  const step: SubjectProjectionStep = { document, reviewItems: [], postureDeltas: [], applicationsUsed: [] };
  const bucket = hourBucketOf(at);
  const occurrences: ReviewOccurrence[] = [];
  const raise: Raise = (
    kind,
    applicationId,
    channel,
    detail,
    occurredAt = at,
    source = { stream: event.streamId, revision: event.revision, position: event.position },
  ) => occurrences.push({ kind, subjectId, applicationId, channel, occurredAt, source, detail });

  const data = subjectEvent.data as Record<string, any>;
  switch (event.type) {
    case 'assurance.identity.proofed':
      document.enrollmentsSinceProofing = 0;
      break;
    case 'assurance.authenticator.enrolled': {
      const enrollment = data as AuthenticatorEnrolledData;
      const { enrollmentReauthenticationWindowMinutes: windowMinutes } = governanceSettingsOf(
        policies && policyInForceAt(policies, at).policy,
      );
      const judgement = judgeEnrollment(enrollment, at, {
        activeBefore: activeAuthenticators(before.state),
        firstSinceProofing: before.enrollmentsSinceProofing === 0,
        recentAuthentications: before.recentAuthentications,
        windowMinutes,
      });
      if (before.enrollmentsSinceProofing !== null) document.enrollmentsSinceProofing = before.enrollmentsSinceProofing + 1;
      if (judgement.gaps.length > 0) {
        raise('enrollment-below-required-assurance', null, null, {
          authenticatorId: enrollment.authenticatorId,
          kind: enrollment.kind,
          sessionId: enrollment.sessionId ?? null,
          userNotified: enrollment.userNotified === true,
          basis: judgement.basis,
          requiredAal: judgement.requiredAal,
          windowMinutes,
          gaps: judgement.gaps,
        });
      }
      break;
    }
    case 'assurance.authentication.succeeded': {
      const channel = data.channel as Channel;
      step.postureDeltas.push({
        bucket,
        applicationId: data.applicationId,
        channel,
        metric: 'authentications',
        dimension: UNEVALUATED,
        delta: 1,
      });
      step.applicationsUsed.push(data.applicationId);
      break;
    }
    case 'assurance.authentication.failed':
      step.postureDeltas.push({
        bucket,
        applicationId: data.applicationId,
        channel: data.channel,
        metric: 'authentication-failures',
        dimension: '',
        delta: 1,
      });
      break;
    case 'assurance.fallback.used': {
      const fallback = data as FallbackUsedData;
      step.postureDeltas.push({
        bucket,
        applicationId: fallback.applicationId,
        channel: fallback.channel,
        metric: 'fallbacks',
        dimension: fallback.usedMethod,
        delta: 1,
      });
      break;
    }
    case LEDGER_EVENT_TYPES.fallbackEvaluated: {
      // The ledger's coverage decision follows each fallback in the same append: only an uncovered one needs a reviewer.
      const evaluation = data as FallbackEvaluatedData;
      if (evaluation.covered) break;
      const fallback = before.state.recentFallbacks[before.state.recentFallbacks.length - 1];
      const { revision } = evaluation.fallback;
      // Both cases link the fallback itself, which is the event folded right before its evaluation.
      const source = {
        stream: event.streamId,
        revision,
        position: before.state.lastRevision === revision ? before.lastPosition : event.position,
      };
      const occurredAt = normalizedTime(evaluation.fallback.time) ?? at;
      raise(
        'fallback',
        evaluation.applicationId,
        evaluation.channel,
        {
          intendedMethod: fallback?.intendedMethod ?? null,
          usedMethod: evaluation.usedMethod,
          reason: fallback?.reason ?? null,
          coverage: evaluation.reason,
          ...(fallback?.exceptionId !== undefined && { claimedExceptionId: fallback.exceptionId }),
        },
        occurredAt,
        source,
      );
      if (fallback)
        raiseFallbackDependence(fallback, (kind, applicationId, channel, detail) =>
          raise(kind, applicationId, channel, detail, occurredAt, source),
        );
      break;
    }
    case 'assurance.recovery.initiated':
    case 'assurance.recovery.completed':
    case 'assurance.recovery.failed': {
      const recovery = data as RecoveryData;
      const phase = event.type.slice('assurance.recovery.'.length);
      step.postureDeltas.push({
        bucket,
        applicationId: '',
        channel: '',
        metric: 'recoveries',
        dimension: `${phase}:${recovery.method}`,
        delta: 1,
      });
      if (phase !== 'initiated') {
        raise('recovery', null, null, {
          phase,
          method: recovery.method,
          verifiedBy: recovery.verifiedBy,
          ticketId: recovery.ticketId ?? null,
          userNotified: recovery.userNotified,
        });
      }
      if (phase === 'completed') raiseRecoveryGovernanceCases(before.summary.highestAal, recovery, raise);
      break;
    }
    case 'assurance.breakglass.used':
      raise('breakglass', null, null, { accountId: data.accountId, reason: data.reason, approvedBy: data.approvedBy ?? null });
      break;
    case LEDGER_EVENT_TYPES.authenticationEvaluated:
      applyVerdict(before, document, step, data as AuthenticationVerdict, raise);
      break;
    case LEDGER_EVENT_TYPES.accessDecided: {
      const decision = data as AccessDecisionFacts;
      if (isDeniedForLackOfEnrolledMethod(decision, before.state)) {
        raise('denied-without-enrolled-method', decision.applicationId, decision.channel, {
          decisionId: decision.decisionId,
          requiredAal: decision.requiredAal,
          acceptableMethods: decision.acceptableMethods,
          reasons: decision.reasons,
          policyVersion: decision.policyVersion,
        });
      }
      break;
    }
  }
  const grouped = withOccurrences(before.reviewCases, occurrences);
  document.reviewCases = grouped.cases;
  step.reviewItems = grouped.changed;
  return step;
}

/**
 * A reviewer action (read from a case stream) applied to the subject's case.
 * `undefined` when the subject has no such case, which changes nothing (see
 * `reviewCaseOfAction` for actions recorded before cases were grouped).
 */
export function applyReviewAction(
  document: SubjectDocument,
  update: ReviewItemUpdate,
): { document: SubjectDocument; reviewItem: ReviewItem } | undefined {
  const existing = reviewCaseOfAction(document.reviewCases, update.itemId);
  if (!existing) return undefined;
  const reviewItem = withReviewAction(existing, update);
  return { document: { ...document, reviewCases: { ...document.reviewCases, [reviewItem.itemId]: reviewItem } }, reviewItem };
}

/** Only an uncovered fallback: an exception that waives the fallback case waives its password dependence too. */
function raiseFallbackDependence(fallback: FallbackRecord, raise: Raise): void {
  const dependence = fallbackDependenceOf(fallback.usedMethod);
  if (dependence === 'none') return;
  raise('hidden-password-dependence', fallback.applicationId, fallback.channel, {
    intendedMethod: fallback.intendedMethod,
    usedMethod: fallback.usedMethod,
    reason: fallback.reason,
    dependence,
  });
}

type Raise = (
  kind: ReviewItemKind,
  applicationId: string | null,
  channel: Channel | null,
  detail: Record<string, unknown>,
  occurredAt?: string,
  source?: SourceEventLink,
) => void;

/** A completed recovery restored access: each governance rule it breaks is a case of its own. */
function raiseRecoveryGovernanceCases(strongestActiveAal: number, recovery: RecoveryData, raise: Raise): void {
  const governance = recoveryGovernanceOf(recovery);
  const detail = {
    method: recovery.method,
    verifiedBy: recovery.verifiedBy,
    ticketId: recovery.ticketId ?? null,
    userNotified: recovery.userNotified,
    approvedBy: recovery.approvedBy ?? null,
    governance: governance.status,
    missing: governance.missing,
  };
  if (isAssistedRecovery(recovery.method)) raise('assisted-recovery', null, null, detail);
  if (isRecoveryWeakerThan(recovery.method, strongestActiveAal))
    raise('recovery-weaker-than-primary', null, null, { ...detail, strongestActiveAal });
  const dependence = recoveryDependenceOf(recovery.method);
  if (dependence !== 'none') raise('hidden-password-dependence', null, null, { ...detail, dependence });
}

function applyVerdict(
  before: SubjectDocument,
  document: SubjectDocument,
  step: SubjectProjectionStep,
  verdict: AuthenticationVerdict,
  raise: Raise,
): void {
  const revision = verdict.authentication.revision;
  // Counted once per authentication, at the hour of the authentication, so that it moves
  // out of "unevaluated" in the same bucket it entered.
  if (revision <= before.lastEvaluatedRevision) return;
  document.lastEvaluatedRevision = revision;
  const authenticatedAt = normalizedTime(verdict.authentication.time) ?? document.lastEventAt;
  const recent: RecentAuthentication = {
    at: authenticatedAt,
    achievedAal: verdict.achievedAal,
    ...(verdict.sessionId !== undefined && { sessionId: verdict.sessionId }),
  };
  document.recentAuthentications = [...before.recentAuthentications, recent].slice(-RECENT_HISTORY_LIMIT);
  const bucket = hourBucketOf(authenticatedAt);
  const counter = { bucket, applicationId: verdict.applicationId, channel: verdict.channel, metric: 'authentications' as const };
  step.postureDeltas.push(
    { ...counter, dimension: UNEVALUATED, delta: -1 },
    { ...counter, dimension: String(verdict.achievedAal), delta: 1 },
  );
  // SP 800-63B-4 §3.2.9: counted per application so the RP can see what rests on SMS and voice.
  if (verdict.restricted) step.postureDeltas.push({ ...counter, metric: 'restricted', dimension: String(verdict.achievedAal), delta: 1 });
  // Below policy either way; an excepted one is governed by its approved exception, so it opens no review case.
  if (verdict.verdict !== 'compliant') step.postureDeltas.push({ ...counter, metric: 'violations', dimension: '', delta: 1 });
  if (verdict.verdict === 'excepted') step.postureDeltas.push({ ...counter, metric: 'excepted', dimension: '', delta: 1 });
  if (verdict.verdict === 'violation') {
    raise(
      'policy-violation',
      verdict.applicationId,
      verdict.channel,
      {
        authenticationRevision: revision,
        requiredAal: verdict.requiredAal,
        achievedAal: verdict.achievedAal,
        reasons: verdict.reasons,
        policyVersion: verdict.policyVersion,
      },
      authenticatedAt,
    );
  }
}
