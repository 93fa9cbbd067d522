import type { AuthenticatorEnrolledData } from '../event-catalog';
import { highestAvailableAal } from '../policy/assurance-level';
import type { AuthenticatorRecord } from '../subject/subject-state';

/** A verdict the ledger recorded on an authentication, as much as enrollment governance needs of it. */
export interface RecentAuthentication {
  /** Normalised RFC 3339 time of the authentication. */
  at: string;
  achievedAal: number;
  sessionId?: string;
}

export interface EnrollmentContext {
  /** The subject's authenticators active before this enrollment. */
  activeBefore: AuthenticatorRecord[];
  /** True when the subject was proofed and nothing was enrolled since: this enrollment is judged against the proofing. */
  firstSinceProofing: boolean;
  recentAuthentications: readonly RecentAuthentication[];
  windowMinutes: number;
}

export type EnrollmentGovernanceGap = 'no-authentication-in-window' | 'user-not-notified';

export interface EnrollmentJudgement {
  /** The AAL a prior authentication had to reach; null when the proofing stood in for it. */
  requiredAal: number | null;
  basis: 'identity-proofing' | 'authentication';
  gaps: EnrollmentGovernanceGap[];
}

/**
 * SP 800-63B-4 §4: binding a further authenticator needs an authentication at
 * the lower of the subject's highest available AAL and the new authenticator's
 * AAL, within the window, and a notification to the subject. With the
 * enrollment's `sessionId`, the authentication must be in that session. The
 * first enrollment after identity proofing is bound by the proofing instead.
 * A subject with nothing active and no fresh proofing needs no authentication
 * (the lower of AAL 0 and anything is 0), only the notification.
 */
export function judgeEnrollment(
  enrollment: AuthenticatorEnrolledData,
  enrolledAt: string,
  context: EnrollmentContext,
): EnrollmentJudgement {
  const gaps: EnrollmentGovernanceGap[] = [];
  if (enrollment.userNotified !== true) gaps.push('user-not-notified');
  if (context.firstSinceProofing) return { requiredAal: null, basis: 'identity-proofing', gaps };

  // An authenticator that reaches no AAL (approve-only push, e-mail: SP 800-63B-4 §3.1.3, §3.1.3.1)
  // is still bound only after an authentication at AAL1 at least, as it was before these were discounted.
  const newAal = Math.max(1, highestAvailableAal([{ ...enrollment, status: 'active' }]));
  const requiredAal = Math.min(highestAvailableAal(context.activeBefore), newAal);
  if (requiredAal > 0) {
    const until = Date.parse(enrolledAt);
    const from = until - context.windowMinutes * 60_000;
    const qualifying = context.recentAuthentications.some((authentication) => {
      const time = Date.parse(authentication.at);
      return (
        time >= from &&
        time <= until &&
        authentication.achievedAal >= requiredAal &&
        (enrollment.sessionId === undefined || authentication.sessionId === enrollment.sessionId)
      );
    });
    if (!qualifying) gaps.push('no-authentication-in-window');
  }
  return { requiredAal, basis: 'authentication', gaps };
}
