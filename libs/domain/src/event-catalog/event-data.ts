import {
  Aaguid,
  Flag,
  FreeText,
  Id,
  IntegerBetween,
  IpAddress,
  Label,
  LIST_LIMITS,
  NestedList,
  NestedObject,
  OneOf,
  OneOfList,
  STRING_LIMITS,
  StringList,
  Timestamp,
} from './field-constraints';
import {
  AMR_VALUES,
  AmrValue,
  AUTHENTICATOR_KINDS,
  AuthenticatorKind,
  Channel,
  CHANNELS,
  MAX_ASSURANCE_LEVEL,
  MIN_ASSURANCE_LEVEL,
  RECOVERY_METHODS,
  RecoveryMethod,
  RISK_LEVELS,
  RiskLevel,
} from './vocabulary';

/*
 * The data shape of every catalog event. The classes double as TypeScript types
 * and as the validation + JSON Schema source, so the three cannot drift apart.
 * Several event types share one class when they describe the same fact at
 * different moments (e.g. device bound / unbound / compliance-changed).
 */

export class IdentityProofedData {
  @IntegerBetween(MIN_ASSURANCE_LEVEL, MAX_ASSURANCE_LEVEL) ial!: number;
  @Label() method!: string;
  @StringList(LIST_LIMITS.evidence, STRING_LIMITS.id) evidence!: string[];
  @Id() proofedBy!: string;
}

export class AuthenticatorEnrolledData {
  @Id() authenticatorId!: string;
  @OneOf(AUTHENTICATOR_KINDS) kind!: AuthenticatorKind;
  @Flag() phishingResistant!: boolean;
  @Flag() hardwareBound!: boolean;
  @Flag() syncable!: boolean;
  @Flag() userVerification!: boolean;
  @Aaguid({ optional: true }) aaguid?: string;
  @Id({ optional: true }) deviceId?: string;
  /** Schema v2: the session in which the subject bound it, to find the authentication that allowed the binding. */
  @Id({ optional: true }) sessionId?: string;
  /** Schema v2: whether the subject was notified of the new binding (SP 800-63B-4 §4). Absent means not recorded. */
  @Flag({ optional: true }) userNotified?: boolean;
}

export class AuthenticatorRevokedData {
  @Id() authenticatorId!: string;
  @FreeText() reason!: string;
}

export class DeviceData {
  @Id() deviceId!: string;
  @Label() platform!: string;
  @Flag() managed!: boolean;
  @Flag() compliant!: boolean;
}

export class MethodUsed {
  @OneOf(AUTHENTICATOR_KINDS) kind!: AuthenticatorKind;
  @Id({ optional: true }) authenticatorId?: string;
  @OneOfList(AMR_VALUES, LIST_LIMITS.amr) amr!: AmrValue[];
}

export class RiskAssessment {
  @OneOf(RISK_LEVELS) level!: RiskLevel;
  @StringList(LIST_LIMITS.riskSignals, STRING_LIMITS.label) signals!: string[];
}

/** A successful authentication; the failed variant adds why it failed. */
export class AuthenticationData {
  @OneOf(CHANNELS) channel!: Channel;
  @Id() applicationId!: string;
  @NestedList(() => MethodUsed, LIST_LIMITS.methods) methods!: MethodUsed[];
  @Id({ optional: true }) sessionId?: string;
  @Id({ optional: true }) deviceId?: string;
  @IpAddress({ optional: true }) ipAddress?: string;
  @NestedObject(() => RiskAssessment, { optional: true }) risk?: RiskAssessment;
}

export class AuthenticationFailedData extends AuthenticationData {
  @FreeText() failureReason!: string;
}

export class StepUpData {
  @Id() applicationId!: string;
  @OneOf(CHANNELS) channel!: Channel;
  @IntegerBetween(MIN_ASSURANCE_LEVEL, MAX_ASSURANCE_LEVEL) requiredAal!: number;
  @FreeText() reason!: string;
  @NestedList(() => MethodUsed, LIST_LIMITS.methods) methods!: MethodUsed[];
}

export class FallbackUsedData {
  @Id() applicationId!: string;
  @OneOf(CHANNELS) channel!: Channel;
  @OneOf(AUTHENTICATOR_KINDS) intendedMethod!: AuthenticatorKind;
  @OneOf(AUTHENTICATOR_KINDS) usedMethod!: AuthenticatorKind;
  @FreeText() reason!: string;
  @Id({ optional: true }) exceptionId?: string;
}

export class RecoveryData {
  @OneOf(RECOVERY_METHODS) method!: RecoveryMethod;
  @Id() verifiedBy!: string;
  @Id({ optional: true }) ticketId?: string;
  @Flag() userNotified!: boolean;
  /** The second person who approved an assisted recovery, when the approval came with it. */
  @Id({ optional: true }) approvedBy?: string;
}

/** A second person approves a recovery recorded earlier in the same subject stream. */
export class RecoveryApprovedData {
  /** The stream revision the ledger answered when the recovery was recorded. */
  @IntegerBetween(0, Number.MAX_SAFE_INTEGER) recoveryRevision!: number;
  @Id() approvedBy!: string;
  @Id({ optional: true }) ticketId?: string;
}

export class BreakglassUsedData {
  @Id() accountId!: string;
  @FreeText() reason!: string;
  @Id({ optional: true }) approvedBy?: string;
}

export class SessionStartedData {
  @Id() sessionId!: string;
  @OneOf(CHANNELS) channel!: Channel;
  @Id() applicationId!: string;
  @FreeText({ optional: true }) reason?: string;
  @Timestamp({ optional: true }) expiresAt?: string;
}

/** Ended or revoked: a session only closes for a stated reason. */
export class SessionClosedData {
  @Id() sessionId!: string;
  @OneOf(CHANNELS) channel!: Channel;
  @Id() applicationId!: string;
  @FreeText() reason!: string;
}
