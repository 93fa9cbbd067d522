import { recoveryGovernanceOf } from '@ledger/domain';
import type { Channel, FallbackRecord, MethodUsed, RecoveryGovernance, RecoveryRecord } from '@ledger/domain';
import type { ReviewItem, SubjectDocument, SubjectSummary } from '@ledger/domain/projections';

export interface AuthenticatorView {
  authenticatorId: string;
  kind: string;
  status: 'active' | 'revoked';
  phishingResistant: boolean;
  hardwareBound: boolean;
  syncable: boolean;
  userVerification: boolean;
  aaguid: string | null;
  deviceId: string | null;
  enrolledAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

export interface LastAuthenticationView {
  channel: Channel;
  outcome: 'succeeded' | 'failed';
  at: string | null;
  applicationId: string;
  methods: MethodUsed[];
  failureReason: string | null;
  /** From the policy verdict on this authentication; null until one is recorded (and always for a failure). */
  achievedAal: number | null;
  requiredAal: number | null;
  verdict: 'compliant' | 'violation' | 'excepted' | null;
  policyVersion: number | null;
}

export interface SubjectStateView {
  subjectId: string;
  stream: string;
  /** The read models' checkpoint this answer reflects. */
  position: number;
  lastEventPosition: number;
  firstEventAt: string;
  lastEventAt: string;
  summary: SubjectSummary;
  identityProofing: { ial: number; method: string; evidence: string[]; proofedBy: string; proofedAt: string | null } | null;
  /** Every authenticator ever bound, revoked ones included (SP 800-63B-4 §4). */
  authenticators: AuthenticatorView[];
  devices: Array<{ deviceId: string; platform: string; managed: boolean; compliant: boolean; updatedAt: string | null }>;
  lastAuthentications: LastAuthenticationView[];
  activeSessions: Array<{
    sessionId: string;
    channel: Channel;
    applicationId: string;
    startedAt: string | null;
    expiresAt: string | null;
    achievedAal: number | null;
    lastActivityAt: string | null;
  }>;
  recentFallbacks: FallbackRecord[];
  /** `governance` on completed recoveries only: `verified` once verifier, notification and (assisted) second approval are recorded. */
  recentRecoveries: Array<RecoveryRecord & { governance: RecoveryGovernance['status'] | null; missing: RecoveryGovernance['missing'] }>;
  breakglassUses: number;
  /** Review cases not yet resolved (open, acknowledged or escalated), oldest first, at most 100. */
  openReviewItems: Array<Pick<ReviewItem, 'itemId' | 'kind' | 'status' | 'occurredAt' | 'applicationId' | 'channel' | 'source'>>;
  openCases: { count: number; href: string };
}

const byTimeThenId =
  <T>(time: (item: T) => string | undefined, id: (item: T) => string) =>
  (a: T, b: T) =>
    (time(a) ?? '').localeCompare(time(b) ?? '') || id(a).localeCompare(id(b));

/** The help desk's view of one subject; sessions past their expiry are left out at read time. */
export function toSubjectStateView(
  document: SubjectDocument,
  position: number,
  openReviewItems: ReviewItem[],
  openCaseCount: number,
  now: Date,
): SubjectStateView {
  const { state } = document;
  const proofing = state.proofing;
  return {
    subjectId: document.subjectId,
    stream: document.stream,
    position,
    lastEventPosition: document.lastPosition,
    firstEventAt: document.firstEventAt,
    lastEventAt: document.lastEventAt,
    summary: document.summary,
    identityProofing: proofing
      ? {
          ial: proofing.ial,
          method: proofing.method,
          evidence: proofing.evidence,
          proofedBy: proofing.proofedBy,
          proofedAt: proofing.proofedAt ?? null,
        }
      : null,
    authenticators: Object.values(state.authenticators)
      .sort(
        byTimeThenId(
          (a) => a.enrolledAt,
          (a) => a.authenticatorId,
        ),
      )
      .map((a) => ({
        authenticatorId: a.authenticatorId,
        kind: a.kind,
        status: a.status,
        phishingResistant: a.phishingResistant,
        hardwareBound: a.hardwareBound,
        syncable: a.syncable,
        userVerification: a.userVerification,
        aaguid: a.aaguid ?? null,
        deviceId: a.deviceId ?? null,
        enrolledAt: a.enrolledAt ?? null,
        revokedAt: a.revokedAt ?? null,
        revocationReason: a.revocationReason ?? null,
      })),
    devices: Object.values(state.devices)
      .filter((device) => device.bound)
      .sort(
        byTimeThenId(
          () => '',
          (d) => d.deviceId,
        ),
      )
      .map((d) => ({
        deviceId: d.deviceId,
        platform: d.platform,
        managed: d.managed,
        compliant: d.compliant,
        updatedAt: d.updatedAt ?? null,
      })),
    lastAuthentications: (
      Object.entries(state.lastAuthenticationByChannel) as Array<
        [Channel, NonNullable<(typeof state.lastAuthenticationByChannel)[Channel]>]
      >
    )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, record]) => {
        return {
          channel,
          outcome: record.outcome,
          at: record.at ?? null,
          applicationId: record.applicationId,
          methods: record.methods,
          failureReason: record.failureReason ?? null,
          achievedAal: record.achievedAal ?? null,
          requiredAal: record.requiredAal ?? null,
          verdict: record.verdict ?? null,
          policyVersion: record.policyVersion ?? null,
        };
      }),
    activeSessions: Object.values(state.activeSessions)
      .filter((session) => session.expiresAt === undefined || new Date(session.expiresAt).getTime() > now.getTime())
      .sort(
        byTimeThenId(
          (s) => s.startedAt,
          (s) => s.sessionId,
        ),
      )
      .map((s) => ({
        sessionId: s.sessionId,
        channel: s.channel,
        applicationId: s.applicationId,
        startedAt: s.startedAt ?? null,
        expiresAt: s.expiresAt ?? null,
        achievedAal: s.achievedAal ?? null,
        lastActivityAt: s.lastActivityAt ?? null,
      })),
    recentFallbacks: [...state.recentFallbacks],
    recentRecoveries: state.recentRecoveries.map((recovery) => {
      const governance = recovery.phase === 'completed' ? recoveryGovernanceOf(recovery) : undefined;
      return { ...recovery, governance: governance?.status ?? null, missing: governance?.missing ?? [] };
    }),
    breakglassUses: state.breakglassUses,
    openReviewItems: openReviewItems.map(({ itemId, kind, status, occurredAt, applicationId, channel, source }) => ({
      itemId,
      kind,
      status,
      occurredAt,
      applicationId,
      channel,
      source,
    })),
    openCases: { count: openCaseCount, href: `/v1/reviews?subjectId=${encodeURIComponent(document.subjectId)}` },
  };
}
