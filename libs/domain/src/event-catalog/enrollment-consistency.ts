import type { CatalogIssue } from './validate-event-data';
import { AUTHENTICATOR_KINDS, AuthenticatorKind, CRYPTOGRAPHIC_AUTHENTICATOR_KINDS } from './vocabulary';

/**
 * An enrollment whose kind contradicts its flags is refused at the door: the
 * ledger judges every later authentication on these flags, so a contradiction
 * recorded once would mislead every verdict after it. Each rule names its clause.
 */
interface Contradiction {
  kinds: readonly AuthenticatorKind[];
  field: 'phishingResistant' | 'hardwareBound' | 'syncable' | 'userVerification';
  /** The value that contradicts the kind. */
  value: boolean;
  reason: string;
}

const NOT_CRYPTOGRAPHIC: readonly AuthenticatorKind[] = AUTHENTICATOR_KINDS.filter(
  (kind) => !(CRYPTOGRAPHIC_AUTHENTICATOR_KINDS as readonly string[]).includes(kind),
);

const CONTRADICTIONS: readonly Contradiction[] = [
  {
    kinds: ['passkey-synced'],
    field: 'hardwareBound',
    value: true,
    reason: 'a synced passkey is exportable, so it cannot be hardware-bound (SP 800-63B-4 §3.2.13, Appendix B)',
  },
  {
    kinds: ['passkey-synced'],
    field: 'syncable',
    value: false,
    reason: 'a synced passkey is syncable by definition (SP 800-63B-4 Appendix B); enroll a device-bound key as passkey-device-bound',
  },
  {
    kinds: ['passkey-device-bound'],
    field: 'syncable',
    value: true,
    reason: 'a device-bound passkey cannot be syncable (SP 800-63B-4 §3.2.13, Appendix B); enroll a syncable key as passkey-synced',
  },
  {
    kinds: NOT_CRYPTOGRAPHIC,
    field: 'phishingResistant',
    value: true,
    reason:
      'only cryptographic authenticators that bind the verifier name or channel are phishing resistant; OTP, out-of-band and passwords are not (SP 800-63B-4 §3.2.5)',
  },
  {
    kinds: NOT_CRYPTOGRAPHIC,
    field: 'syncable',
    value: true,
    reason: 'only a cryptographic key can be a syncable authenticator (SP 800-63B-4 Appendix B)',
  },
];

/** Issues for an `assurance.authenticator.enrolled` whose fields are each valid on their own. */
export function enrollmentContradictions(data: Record<string, unknown>): CatalogIssue[] {
  const kind = data.kind as AuthenticatorKind;
  return CONTRADICTIONS.filter(({ kinds, field, value }) => kinds.includes(kind) && data[field] === value).map(
    ({ field, value, reason }) => ({
      path: field,
      reason: `must not be ${String(value)} for kind ${kind}: ${reason}`,
    }),
  );
}
