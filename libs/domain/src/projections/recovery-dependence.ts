import { AuthenticatorKind, RecoveryMethod } from '../event-catalog';

/**
 * What a recovery still leans on. A password reset restores a password; a
 * help-desk recovery verifies the caller by what they know (the catalog records
 * no stronger evidence for it). Codes, passes, contacts and re-proofing do not
 * depend on a memorised secret.
 */
export type RecoveryDependence = 'password' | 'knowledge-based' | 'none';

export function recoveryDependenceOf(method: RecoveryMethod): RecoveryDependence {
  switch (method) {
    case 'password-reset':
      return 'password';
    case 'help-desk':
      return 'knowledge-based';
    default:
      return 'none';
  }
}

/** What a fallback leans on: only a password among the authenticator kinds is a memorised secret. */
export function fallbackDependenceOf(usedMethod: AuthenticatorKind): RecoveryDependence {
  return usedMethod === 'password' ? 'password' : 'none';
}
