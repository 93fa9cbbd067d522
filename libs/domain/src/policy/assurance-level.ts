import { AuthenticatorKind, MethodUsed } from '../event-catalog';
import { AchievedAssuranceLevel } from '../ledger-events/ledger-events';
import { ownEntry } from '../subject/own-entry';
import { AuthenticatorRecord } from '../subject/subject-state';

/*
 * SP 800-63B-4 assurance from the methods of one authentication, judged on the
 * properties recorded at enrollment rather than on what the emitter claims.
 * Every rule here is monotonic (adding a method never lowers the level), which
 * is what lets `highestAvailableAal` try all active authenticators at once
 * instead of every subset.
 */

/** How one counted method contributes, after its enrollment has been checked. */
export type FactorClass =
  /** Device-bound, non-exportable, with user verification: AAL3 alone. */
  | 'multi-factor-cryptographic-hardware'
  /** Exportable (synced or software) key with user verification: AAL2 at most. */
  | 'multi-factor-cryptographic-exportable'
  /** Device-bound key without user verification: something you have; AAL3 with a password. */
  | 'single-factor-cryptographic-hardware'
  /** Exportable key without user verification, or a key the ledger knows nothing about. */
  | 'single-factor-cryptographic-software'
  | 'out-of-band-number-matching'
  /** Push without number matching, SMS, voice. */
  | 'out-of-band'
  /** TOTP and recovery (look-up) codes. */
  | 'one-time-code'
  /** Never combines: SP 800-63B-4 does not accept e-mail as an out-of-band channel. */
  | 'email-code'
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

/** Factors a memorized secret can be paired with to reach AAL2 (something you know + something you have). */
const POSSESSION_CLASSES: readonly FactorClass[] = ['single-factor-cryptographic-software', 'out-of-band', 'one-time-code'];

export type AalRuleName =
  | 'aal3-multi-factor-cryptographic-device'
  | 'aal3-single-factor-cryptographic-device-plus-password'
  | 'aal2-multi-factor-exportable-cryptographic'
  | 'aal2-push-number-matching'
  | 'aal2-password-plus-possession-factor'
  | 'aal2-one-time-code-plus-password'
  | 'aal1-single-factor'
  | 'aal0-no-counted-method';

export type DiscountReason = 'authenticator-not-enrolled' | 'authenticator-revoked' | 'authenticator-kind-mismatch';

export interface CountedMethod {
  index: number;
  kind: AuthenticatorKind;
  authenticatorId?: string;
  factorClass: FactorClass;
  phishingResistant: boolean;
  /** Device-bound and not exportable, from the enrollment record. */
  hardwareBound: boolean;
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
  /** `phr`/`phrh` when phishing resistant, then `nist-aal<n>`. */
  acr: string[];
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
      const nonExportable = authenticator.hardwareBound && !authenticator.syncable;
      if (authenticator.userVerification) {
        return nonExportable && authenticator.phishingResistant
          ? 'multi-factor-cryptographic-hardware'
          : 'multi-factor-cryptographic-exportable';
      }
      return nonExportable ? 'single-factor-cryptographic-hardware' : 'single-factor-cryptographic-software';
    }
    case 'push-number-match':
      return 'out-of-band-number-matching';
    case 'push':
    case 'sms':
    case 'voice':
      return 'out-of-band';
    case 'totp':
    case 'recovery-code':
      return 'one-time-code';
    case 'email-otp':
      return 'email-code';
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
    hardwareBound: cryptographic && properties.hardwareBound && !properties.syncable,
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
  if (password && classes.has('one-time-code')) return { achievedAal: 2, rule: 'aal2-one-time-code-plus-password' };
  if (password && POSSESSION_CLASSES.some((possession) => classes.has(possession))) {
    return { achievedAal: 2, rule: 'aal2-password-plus-possession-factor' };
  }
  if (classes.size > 0) return { achievedAal: 1, rule: 'aal1-single-factor' };
  return { achievedAal: 0, rule: 'aal0-no-counted-method' };
}

const AMR_BY_CLASS: Record<FactorClass, string[]> = {
  'multi-factor-cryptographic-hardware': ['hwk', 'user'],
  'multi-factor-cryptographic-exportable': ['swk', 'user'],
  'single-factor-cryptographic-hardware': ['hwk'],
  'single-factor-cryptographic-software': ['swk'],
  'out-of-band-number-matching': ['mca', 'user'],
  'out-of-band': ['mca'],
  'one-time-code': ['otp'],
  'email-code': ['otp'],
  'temporary-access-pass': ['otp'],
  'memorized-secret': ['pwd'],
};

function amrOf(counted: CountedMethod[], achievedAal: AchievedAssuranceLevel): string[] {
  const values = new Set<string>();
  for (const method of counted) {
    if (method.kind === 'sms') values.add('sms');
    else if (method.kind === 'voice') values.add('tel');
    else AMR_BY_CLASS[method.factorClass].forEach((value) => values.add(value));
    if (method.kind === 'smart-card') {
      values.add('sc');
      if (method.factorClass === 'multi-factor-cryptographic-hardware') values.add('pin');
    }
  }
  if (achievedAal >= 2) values.add('mfa');
  return [...values].sort();
}

export function acrValuesFor(achievedAal: AchievedAssuranceLevel, phishingResistant: boolean, hardwareBound: boolean): string[] {
  const acr: string[] = [];
  if (phishingResistant) acr.push(hardwareBound ? 'phrh' : 'phr');
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
    counted,
    discounted,
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
