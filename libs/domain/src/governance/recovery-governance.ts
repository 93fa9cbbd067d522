import { RecoveryMethod } from '../event-catalog';
import type { RecoveryRecord } from '../subject/subject-state';

/**
 * The highest AAL a recovery method is as strong as, following the built-in
 * policy's `recovery.acceptableMethods` (a method listed for AAL n is fit to
 * restore an AAL n authenticator). A code sent by SMS or email is fit for none
 * of them: it proves only control of a phone number or a mailbox.
 */
export const RECOVERY_METHOD_STRENGTH: Readonly<Record<RecoveryMethod, 0 | 1 | 2 | 3>> = {
  're-proofing': 3,
  'temporary-access-pass': 3,
  'recovery-code': 2,
  'help-desk': 2,
  'recovery-contact': 1,
  'password-reset': 1,
  sms: 0,
  'email-otp': 0,
};

/** A recovery is weaker than the primary path when it restores access with less than the subject's strongest active authenticator reaches. */
export function isRecoveryWeakerThan(method: RecoveryMethod, strongestActiveAal: number): boolean {
  return RECOVERY_METHOD_STRENGTH[method] < strongestActiveAal;
}

/** A help-desk recovery is assisted: a person restored access, so a second person must approve it. */
export function isAssistedRecovery(method: RecoveryMethod): boolean {
  return method === 'help-desk';
}

export type RecoveryGovernanceGap = 'verifier' | 'user-notification' | 'second-approval';

export interface RecoveryGovernance {
  status: 'verified' | 'unverified';
  /** What the recovery still lacks; empty when verified. */
  missing: RecoveryGovernanceGap[];
}

/**
 * Complete for governance (issue 5) only with a recorded verifier, a recorded
 * notification of the user (SP 800-63B-4 requires one on every recovery) and,
 * for an assisted recovery, the approval of a second person, who cannot be
 * the verifier.
 */
export function recoveryGovernanceOf(
  recovery: Pick<RecoveryRecord, 'method' | 'verifiedBy' | 'userNotified' | 'approvedBy'>,
): RecoveryGovernance {
  const missing: RecoveryGovernanceGap[] = [];
  if (!recovery.verifiedBy) missing.push('verifier');
  if (recovery.userNotified !== true) missing.push('user-notification');
  if (isAssistedRecovery(recovery.method) && (!recovery.approvedBy || recovery.approvedBy === recovery.verifiedBy))
    missing.push('second-approval');
  return { status: missing.length === 0 ? 'verified' : 'unverified', missing };
}
