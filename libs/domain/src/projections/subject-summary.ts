import { AuthenticatorKind } from '../event-catalog';
import { highestAvailableAal } from '../policy';
import { AuthenticatorRecord, SubjectState } from '../subject';

/** Kinds that keep a subject from being passwordless while one of them is active. */
export const PASSWORD_OR_OTP_KINDS: readonly AuthenticatorKind[] = ['password', 'totp', 'sms', 'voice', 'email-otp'];

export interface SubjectSummary {
  /** At least one active authenticator, and none of them is a password or an OTP. */
  passwordless: boolean;
  /** At least one active authenticator is phishing resistant. */
  phishingResistantCapable: boolean;
  /** The highest AAL the active authenticators can reach, 0 when none counts. */
  highestAal: 0 | 1 | 2 | 3;
}

export function activeAuthenticators(state: SubjectState): AuthenticatorRecord[] {
  return Object.values(state.authenticators).filter((authenticator) => authenticator.status === 'active');
}

/**
 * A subject with no active authenticator at all is not counted as passwordless:
 * it has not moved off passwords, it has nothing to sign in with.
 */
export function summarizeSubject(state: SubjectState): SubjectSummary {
  const active = activeAuthenticators(state);
  return {
    passwordless: active.length > 0 && active.every((authenticator) => !PASSWORD_OR_OTP_KINDS.includes(authenticator.kind)),
    phishingResistantCapable: active.some((authenticator) => authenticator.phishingResistant),
    highestAal: highestAvailableAal(active),
  };
}
