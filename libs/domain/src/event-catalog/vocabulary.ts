/**
 * Closed vocabularies shared by several event types. They are closed on purpose:
 * assurance reports group and score by these values, so an unexpected value must
 * be refused at the door instead of silently falling into an "other" bucket.
 */

/** Kinds that authenticate with a private key: the only ones that can be phishing-resistant (SP 800-63B-4 §3.2.5). */
export const CRYPTOGRAPHIC_AUTHENTICATOR_KINDS = [
  'passkey-synced',
  'passkey-device-bound',
  'security-key',
  'platform-authenticator',
  'smart-card',
] as const;

export const AUTHENTICATOR_KINDS = [
  ...CRYPTOGRAPHIC_AUTHENTICATOR_KINDS,
  'push',
  'push-number-match',
  'totp',
  'sms',
  'voice',
  'email-otp',
  'password',
  'recovery-code',
  'temporary-access-pass',
] as const;
export type AuthenticatorKind = (typeof AUTHENTICATOR_KINDS)[number];

export const CHANNELS = ['web', 'vpn', 'saas', 'privileged', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Authentication Method Reference values registered by RFC 8176. */
export const AMR_VALUES = [
  'face',
  'fpt',
  'geo',
  'hwk',
  'iris',
  'kba',
  'mca',
  'mfa',
  'otp',
  'pin',
  'pop',
  'pwd',
  'rba',
  'retina',
  'sc',
  'sms',
  'swk',
  'tel',
  'user',
  'vbm',
  'wia',
] as const;
export type AmrValue = (typeof AMR_VALUES)[number];

export const RECOVERY_METHODS = [
  'recovery-code',
  'help-desk',
  're-proofing',
  'temporary-access-pass',
  'recovery-contact',
  'password-reset',
  // A code sent to a phone number or a mailbox on file: possession of that channel is the only proof.
  'sms',
  'email-otp',
] as const;
export type RecoveryMethod = (typeof RECOVERY_METHODS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** NIST SP 800-63 identity (IAL) and authenticator (AAL) assurance levels. */
export const MIN_ASSURANCE_LEVEL = 1;
export const MAX_ASSURANCE_LEVEL = 3;
