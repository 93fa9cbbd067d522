import { AuthenticatorKind, MethodUsed } from '../event-catalog';
import { AchievedAssuranceLevel } from '../ledger-events/ledger-events';
import { ownEntry } from '../subject/own-entry';
import { AuthenticatorRecord } from '../subject/subject-state';

/*
 * SP 800-63B-4 assurance from the methods of one authentication, judged on the
 * properties recorded at enrollment rather than on what the emitter claims.
 * Every rule here is monotonic (adding a method never lowers the level), which
 * is what lets `highestAvailableAal` try all active authenticators at once
 * instead of every subset. docs/policy.md holds the rule table with the clause
 * of each rule.
 */

/**
 * The version of the assurance rules in this file. Each new verdict and
 * decision names it; verdicts recorded before it existed carry none and were
 * produced by version 1 (SP 800-63B-4 read less strictly: approve-only push,
 * e-mail codes and hardware keys without phishing resistance still counted).
 */
export const ASSURANCE_RULES_VERSION = 2;

/** How one counted method contributes, after its enrollment has been checked. */
export type FactorClass =
  /** Non-exportable, phishing-resistant, with user verification: AAL3 alone (§3.1.7, §2.3.1-2.3.2). */
  | 'multi-factor-cryptographic-hardware'
  /** With user verification but exportable (synced, software) or not phishing resistant: AAL2 at most (§3.1.7, §3.2.13, Appendix B). */
  | 'multi-factor-cryptographic-exportable'
  /** Non-exportable and phishing-resistant key without user verification: AAL3 with a password (§3.1.6, §2.3.1). */
  | 'single-factor-cryptographic-hardware'
  /** Any other key without user verification, or a key the ledger knows nothing about: something you have (§3.1.6). */
  | 'single-factor-cryptographic-software'
  /** Number-matching push activated by user verification: a multi-factor out-of-band authenticator (§3.1.3.4). */
  | 'out-of-band-number-matching'
  /** Number-matching push without user verification, SMS, voice: a single-factor out-of-band device (§3.1.3.1). */
  | 'out-of-band'
  /** TOTP with user verification: a multi-factor OTP (§3.1.5). */
  | 'multi-factor-one-time-code'
  /** TOTP without user verification (§3.1.4) and recovery (look-up) codes (§3.1.2). */
  | 'one-time-code'
  /** A time-limited pass issued by a help desk; counts alone and never combines. */
  | 'temporary-access-pass'
  | 'memorized-secret';

export const CRYPTOGRAPHIC_KINDS: readonly AuthenticatorKind[] = [
  'passkey-synced',
  'passkey-device-bound',
  'security-key',
  'platform-authenticator',
  'smart-card',
];

/** Phishing resistance is never granted to these, whatever the enrollment says. */
export const NEVER_PHISHING_RESISTANT_KINDS: readonly AuthenticatorKind[] = [
  'totp',
  'sms',
  'voice',
  'email-otp',
  'push',
  'push-number-match',
];

/** Factors a memorized secret can be paired with to reach AAL2 (something you know + something you have, §2.2.1). */
const POSSESSION_CLASSES: readonly FactorClass[] = ['single-factor-cryptographic-software', 'out-of-band', 'one-time-code'];

/** SP 800-63B-4 §3.1.3.3 and §3.2.9: out-of-band through the PSTN is a restricted authenticator. */
export const RESTRICTED_KINDS: readonly AuthenticatorKind[] = ['sms', 'voice'];

export type AalRuleName =
  | 'aal3-multi-factor-cryptographic-device'
  | 'aal3-single-factor-cryptographic-device-plus-password'
  | 'aal2-multi-factor-exportable-cryptographic'
  | 'aal2-push-number-matching'
  | 'aal2-multi-factor-one-time-code'
  | 'aal2-password-plus-possession-factor'
  | 'aal2-one-time-code-plus-password'
  | 'aal1-single-factor'
  | 'aal0-no-counted-method';

export type DiscountReason =
  | 'authenticator-not-enrolled'
  | 'authenticator-revoked'
  | 'authenticator-kind-mismatch'
  /** SP 800-63B-4 §3.1.3: a push that only asks for approval does not meet the out-of-band requirements. */
  | 'approve-only-push-not-out-of-band'
  /** SP 800-63B-4 §3.1.3.1: e-mail SHALL NOT be used for out-of-band authentication. */
  | 'email-not-out-of-band';

export interface CountedMethod {
  index: number;
  kind: AuthenticatorKind;
  authenticatorId?: string;
  factorClass: FactorClass;
  phishingResistant: boolean;
  /** Device-bound and not exportable, from the enrollment record. */
  hardwareBound: boolean;
  /** SP 800-63B-4 §3.2.9. */
  restricted: boolean;
}

export interface DiscountedMethod {
  index: number;
  kind: AuthenticatorKind;
  authenticatorId?: string;
  reason: DiscountReason;
  detail: string;
}

export interface AssuranceDerivation {
  achievedAal: AchievedAssuranceLevel;
  /** The rule that decided the level, as it appears in decision paths. */
  rule: AalRuleName;
  phishingResistant: boolean;
  /** RFC 8176 values, sorted. */
  amr: string[];
  /** `phrh` (AAL3) or `phr` (AAL2) when they truly hold, then `nist-aal<n>`. */
  acr: string[];
  /** Set when the level was reached only thanks to a restricted authenticator (SP 800-63B-4 §3.2.9). */
  restriction?: { kinds: AuthenticatorKind[]; reason: string };
  counted: CountedMethod[];
  discounted: DiscountedMethod[];
}

type AuthenticatorProperties = Pick<AuthenticatorRecord, 'kind' | 'phishingResistant' | 'hardwareBound' | 'syncable' | 'userVerification'>;

export function factorClassOf(authenticator: AuthenticatorProperties): FactorClass {
  switch (authenticator.kind) {
    case 'passkey-synced':
    case 'passkey-device-bound':
    case 'security-key':
    case 'platform-authenticator':
    case 'smart-card': {
      // §2.3.2: the AAL3 key SHALL be hardware-based (non-exportable, §3.2.13) and SHALL be phishing resistant (§3.2.5).
      // A synced passkey is exportable whatever its flags say (Appendix B).
      const aal3Capable =
        authenticator.kind !== 'passkey-synced' &&
        authenticator.hardwareBound &&
        !authenticator.syncable &&
        authenticator.phishingResistant;
      if (authenticator.userVerification) {
        return aal3Capable ? 'multi-factor-cryptographic-hardware' : 'multi-factor-cryptographic-exportable';
      }
      return aal3Capable ? 'single-factor-cryptographic-hardware' : 'single-factor-cryptographic-software';
    }
    case 'push-number-match':
      // §3.1.3.4: multi-factor only when each use requires an activation factor.
      return authenticator.userVerification ? 'out-of-band-number-matching' : 'out-of-band';
    case 'push':
    case 'email-otp':
      // Not an authenticator at all (§3.1.3, §3.1.3.1): countMethod discounts these before they get here.
      return 'out-of-band';
    case 'sms':
    case 'voice':
      // §3.1.3.3: PSTN delivery is single-factor out-of-band, and restricted (§3.2.9).
      return 'out-of-band';
    case 'totp':
      // §3.1.5: an OTP device that requires activation by a second factor is multi-factor.
      return authenticator.userVerification ? 'multi-factor-one-time-code' : 'one-time-code';
    case 'recovery-code':
      // §3.1.2: a look-up secret is something you have, whatever the enrollment says.
      return 'one-time-code';
    case 'temporary-access-pass':
      return 'temporary-access-pass';
    case 'password':
      return 'memorized-secret';
    default: {
      authenticator.kind satisfies never;
      return 'memorized-secret';
    }
  }
}

/**
 * A cryptographic method that names no enrolled authenticator proves nothing
 * about hardware or user verification, so it is taken as the weakest key of its kind.
 */
const UNKNOWN_KEY: Omit<AuthenticatorProperties, 'kind'> = {
  phishingResistant: false,
  hardwareBound: false,
  syncable: true,
  userVerification: false,
};

function countMethod(
  method: MethodUsed,
  index: number,
  authenticators: Readonly<Record<string, AuthenticatorRecord>>,
): CountedMethod | DiscountedMethod {
  const { kind, authenticatorId } = method;
  if (kind === 'push') {
    return {
      index,
      kind,
      authenticatorId,
      reason: 'approve-only-push-not-out-of-band',
      detail: `methods[${index}] is a push that only asks for approval, which does not meet the out-of-band requirements (SP 800-63B-4 §3.1.3)`,
    };
  }
  if (kind === 'email-otp') {
    return {
      index,
      kind,
      authenticatorId,
      reason: 'email-not-out-of-band',
      detail: `methods[${index}] is an e-mail code; e-mail SHALL NOT be used for out-of-band authentication (SP 800-63B-4 §3.1.3.1)`,
    };
  }
  let properties: AuthenticatorProperties = { kind, ...UNKNOWN_KEY };
  if (authenticatorId !== undefined) {
    const enrolled = ownEntry(authenticators, authenticatorId);
    if (!enrolled) {
      return {
        index,
        kind,
        authenticatorId,
        reason: 'authenticator-not-enrolled',
        detail: `methods[${index}] names ${authenticatorId}, which this subject never enrolled`,
      };
    }
    if (enrolled.status !== 'active') {
      return {
        index,
        kind,
        authenticatorId,
        reason: 'authenticator-revoked',
        detail: `methods[${index}] names ${authenticatorId}, revoked at ${enrolled.revokedAt ?? 'an unknown time'}`,
      };
    }
    if (enrolled.kind !== kind) {
      return {
        index,
        kind,
        authenticatorId,
        reason: 'authenticator-kind-mismatch',
        detail: `methods[${index}] says ${kind} but ${authenticatorId} was enrolled as ${enrolled.kind}`,
      };
    }
    properties = enrolled;
  } else if (!CRYPTOGRAPHIC_KINDS.includes(kind)) {
    properties = { kind, phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false };
  }
  const factorClass = factorClassOf(properties);
  const cryptographic = CRYPTOGRAPHIC_KINDS.includes(kind);
  return {
    index,
    kind,
    authenticatorId,
    factorClass,
    phishingResistant: cryptographic && properties.phishingResistant && !NEVER_PHISHING_RESISTANT_KINDS.includes(kind),
    hardwareBound: cryptographic && kind !== 'passkey-synced' && properties.hardwareBound && !properties.syncable,
    restricted: RESTRICTED_KINDS.includes(kind),
  };
}

function levelFrom(classes: ReadonlySet<FactorClass>): { achievedAal: AchievedAssuranceLevel; rule: AalRuleName } {
  const password = classes.has('memorized-secret');
  if (classes.has('multi-factor-cryptographic-hardware')) return { achievedAal: 3, rule: 'aal3-multi-factor-cryptographic-device' };
  if (password && classes.has('single-factor-cryptographic-hardware')) {
    return { achievedAal: 3, rule: 'aal3-single-factor-cryptographic-device-plus-password' };
  }
  if (classes.has('multi-factor-cryptographic-exportable')) return { achievedAal: 2, rule: 'aal2-multi-factor-exportable-cryptographic' };
  if (classes.has('out-of-band-number-matching')) return { achievedAal: 2, rule: 'aal2-push-number-matching' };
  if (classes.has('multi-factor-one-time-code')) return { achievedAal: 2, rule: 'aal2-multi-factor-one-time-code' };
  if (password && classes.has('one-time-code')) return { achievedAal: 2, rule: 'aal2-one-time-code-plus-password' };
  if (password && POSSESSION_CLASSES.some((possession) => classes.has(possession))) {
    return { achievedAal: 2, rule: 'aal2-password-plus-possession-factor' };
  }
  if (classes.size > 0) return { achievedAal: 1, rule: 'aal1-single-factor' };
  return { achievedAal: 0, rule: 'aal0-no-counted-method' };
}

/**
 * RFC 8176 §2 values of one counted method. `hwk`/`swk` follow where the key
 * lives; `user` only where the authenticator tested the user's presence or
 * verified the user (a key with user verification, a number match the user
 * typed). `mfa` is added for the whole authentication, never per method.
 */
function amrOfMethod(method: CountedMethod): string[] {
  switch (method.factorClass) {
    case 'multi-factor-cryptographic-hardware':
    case 'multi-factor-cryptographic-exportable':
      return [method.hardwareBound ? 'hwk' : 'swk', 'user'];
    case 'single-factor-cryptographic-hardware':
    case 'single-factor-cryptographic-software':
      return [method.hardwareBound ? 'hwk' : 'swk'];
    case 'out-of-band-number-matching':
      return ['mca', 'user'];
    case 'out-of-band':
      if (method.kind === 'sms') return ['sms'];
      if (method.kind === 'voice') return ['tel'];
      // Number matching without activation: the user typed the number shown, a presence test.
      return ['mca', 'user'];
    case 'multi-factor-one-time-code':
    case 'one-time-code':
    case 'temporary-access-pass':
      return ['otp'];
    case 'memorized-secret':
      return ['pwd'];
  }
}

function amrOf(counted: CountedMethod[], achievedAal: AchievedAssuranceLevel): string[] {
  const values = new Set<string>();
  for (const method of counted) {
    amrOfMethod(method).forEach((value) => values.add(value));
    if (method.kind === 'smart-card') {
      values.add('sc');
      if (method.factorClass === 'multi-factor-cryptographic-hardware') values.add('pin');
    }
  }
  // RFC 8176 `mfa`: AAL2 and AAL3 are reached only with two distinct factors (SP 800-63B-4 §2.2.1, §2.3.1).
  if (achievedAal >= 2) values.add('mfa');
  return [...values].sort();
}

/**
 * The `acr` of one authentication. `nist-aal<n>` promises SP 800-63B-4 AAL n
 * or higher. `phr` (phishing resistant) is only named at AAL2 or higher and
 * `phrh` (phishing resistant, hardware-protected key) only at AAL3, so that no
 * value says more than the authentication holds: a key without user
 * verification, alone, is AAL1 and carries neither.
 */
export function acrValuesFor(achievedAal: AchievedAssuranceLevel, phishingResistant: boolean, hardwareBound: boolean): string[] {
  const acr: string[] = [];
  if (phishingResistant && achievedAal === 3 && hardwareBound) acr.push('phrh');
  else if (phishingResistant && achievedAal >= 2) acr.push('phr');
  if (achievedAal > 0) acr.push(`nist-aal${achievedAal}`);
  return acr;
}

/** The assurance one authentication reached, given what the subject had enrolled when it happened. */
export function deriveAssurance(
  methods: readonly MethodUsed[],
  authenticators: Readonly<Record<string, AuthenticatorRecord>>,
): AssuranceDerivation {
  const counted: CountedMethod[] = [];
  const discounted: DiscountedMethod[] = [];
  methods.forEach((method, index) => {
    const outcome = countMethod(method, index, authenticators);
    if ('reason' in outcome) discounted.push(outcome);
    else counted.push(outcome);
  });
  const { achievedAal, rule } = levelFrom(new Set(counted.map((method) => method.factorClass)));
  const phishingResistant = counted.some((method) => method.phishingResistant);
  const hardwareBound = counted.some((method) => method.phishingResistant && method.hardwareBound);
  return {
    achievedAal,
    rule,
    phishingResistant,
    amr: amrOf(counted, achievedAal),
    acr: acrValuesFor(achievedAal, phishingResistant, hardwareBound),
    ...restrictionOf(counted, achievedAal),
    counted,
    discounted,
  };
}

/**
 * SP 800-63B-4 §3.2.9: the level rests on a restricted authenticator when it
 * would be lower without it. Rules are monotonic, so that is one more derivation.
 */
function restrictionOf(counted: CountedMethod[], achievedAal: AchievedAssuranceLevel): Pick<AssuranceDerivation, 'restriction'> {
  const restricted = counted.filter((method) => method.restricted);
  if (restricted.length === 0 || achievedAal === 0) return {};
  const without = levelFrom(new Set(counted.filter((method) => !method.restricted).map((method) => method.factorClass)));
  if (without.achievedAal >= achievedAal) return {};
  const kinds = [...new Set(restricted.map((method) => method.kind))].sort();
  return {
    restriction: {
      kinds,
      reason: `AAL${achievedAal} rests on ${kinds.join(' and ')}, out-of-band through the PSTN: a restricted authenticator (SP 800-63B-4 §3.1.3.3, §3.2.9)`,
    },
  };
}

/**
 * The highest AAL the subject's active authenticators could reach, alone or
 * combined. Because every rule is monotonic, presenting all of them at once
 * reaches the same level as the best subset.
 */
export function highestAvailableAal(authenticators: AuthenticatorRecord[]): 0 | 1 | 2 | 3 {
  const active = authenticators.filter((authenticator) => authenticator.status === 'active');
  const byId = Object.fromEntries(active.map((authenticator) => [authenticator.authenticatorId, authenticator]));
  const methods: MethodUsed[] = active.map(({ kind, authenticatorId }) => ({ kind, authenticatorId, amr: [] }));
  return deriveAssurance(methods, byId).achievedAal;
}
