import { AuthenticatorKind } from '../event-catalog/vocabulary';
import { AuthenticationEvaluatedData, LEDGER_EVENT_TYPES } from '../ledger-events/ledger-events';
import { ExportableEvent, metadataString } from './exportable-event';

/** The OCSF schema version the mapping follows. */
export const OCSF_VERSION = '1.3.0';

const IDENTITY_AND_ACCESS_MANAGEMENT = { category_uid: 3, category_name: 'Identity & Access Management' } as const;

/** OCSF `auth_factor.factor_type_id` for each authenticator kind; kinds OCSF has no name for are Other (99). */
const FACTOR_TYPES: Record<AuthenticatorKind, { id: number; name: string }> = {
  'passkey-synced': { id: 10, name: 'WebAuthn' },
  'passkey-device-bound': { id: 10, name: 'WebAuthn' },
  'security-key': { id: 10, name: 'WebAuthn' },
  'platform-authenticator': { id: 10, name: 'WebAuthn' },
  'smart-card': { id: 6, name: 'Hardware Token' },
  push: { id: 5, name: 'Push Notification' },
  'push-number-match': { id: 5, name: 'Push Notification' },
  totp: { id: 7, name: 'OTP' },
  sms: { id: 1, name: 'SMS' },
  voice: { id: 3, name: 'Phone Call' },
  'email-otp': { id: 8, name: 'Email' },
  password: { id: 11, name: 'Password' },
  'recovery-code': { id: 99, name: 'Recovery Code' },
  'temporary-access-pass': { id: 99, name: 'Temporary Access Pass' },
};

/**
 * OCSF `logon_type_id` by channel: a web, SaaS, VPN or API logon reaches the
 * service over the network (3, Network); a privileged logon is a remote shell
 * or console session (10, Remote Interactive).
 */
const LOGON_TYPES: Record<string, { id: number; name: string }> = {
  web: { id: 3, name: 'Network' },
  saas: { id: 3, name: 'Network' },
  vpn: { id: 3, name: 'Network' },
  api: { id: 3, name: 'Network' },
  privileged: { id: 10, name: 'Remote Interactive' },
};

/**
 * OCSF `auth_protocol_id`. The ledger's events do not say which federation
 * protocol carried the authentication, so it is 0 (Unknown), stated rather
 * than guessed.
 */
const UNKNOWN_AUTH_PROTOCOL = { auth_protocol_id: 0, auth_protocol: 'Unknown' } as const;

export interface OcsfOptions {
  productVersion: string;
  /**
   * Replaces IP addresses, e.g. with a keyed hash, when an export is shared. A
   * pseudonym is no IP address, so it goes to `src_endpoint.uid` (a string)
   * and `src_endpoint.ip` is left out.
   */
  pseudonymiseIp?: (ip: string) => string;
}

interface MethodUsed {
  kind: AuthenticatorKind;
  authenticatorId?: string;
  amr?: string[];
}

function baseOf(
  event: ExportableEvent,
  classUid: number,
  className: string,
  activityId: number,
  activityName: string,
  options: OcsfOptions,
) {
  const time = metadataString(event, 'time');
  const recordedAt = metadataString(event, 'recordedAt');
  return {
    ...IDENTITY_AND_ACCESS_MANAGEMENT,
    class_uid: classUid,
    class_name: className,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activityName}`,
    time: time ? Date.parse(time) : 0,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Assurance Ledger', vendor_name: 'Assurance Ledger', version: options.productVersion },
      uid: metadataString(event, 'cloudEventId'),
      original_time: time,
      logged_time: recordedAt ? Date.parse(recordedAt) : undefined,
      correlation_uid: metadataString(event, 'correlationId'),
      log_name: event.streamId,
      sequence: event.position,
    },
    user: { uid: metadataString(event, 'subject'), type_id: 1, type: 'User' },
  };
}

function ledgerPlace(event: ExportableEvent) {
  return {
    stream: event.streamId,
    revision: event.revision,
    position: event.position,
    hash: metadataString(event, 'hash'),
    source: metadataString(event, 'source'),
  };
}

function authenticationToOcsf(event: ExportableEvent, verdict: AuthenticationEvaluatedData | undefined, options: OcsfOptions) {
  const succeeded = event.type === 'assurance.authentication.succeeded';
  const data = event.data as {
    channel: string;
    applicationId: string;
    methods: MethodUsed[];
    sessionId?: string;
    deviceId?: string;
    ipAddress?: string;
    risk?: unknown;
    failureReason?: string;
  };
  const amr = [...new Set(data.methods.flatMap((method) => method.amr ?? []))];
  // Only the ledger's verdict says whether two factors were really present (SP 800-63B-4 §2.2.1);
  // without one (a failure, or an unevaluated success) `is_mfa` is left out rather than guessed from the emitter's claims.
  const isMfa = verdict ? verdict.achievedAal >= 2 : undefined;
  const logonType = LOGON_TYPES[data.channel];
  const violation = verdict?.verdict === 'violation';
  // Below policy but inside an approved exception: still a finding, a governed one.
  const excepted = verdict?.verdict === 'excepted';
  return {
    ...baseOf(event, 3002, 'Authentication', 1, 'Logon', options),
    status_id: succeeded ? 1 : 2,
    status: succeeded ? 'Success' : 'Failure',
    ...(data.failureReason !== undefined && { status_detail: data.failureReason }),
    // A success below the required level is the finding this product exists for.
    severity_id: violation ? 3 : excepted || !succeeded ? 2 : 1,
    severity: violation ? 'Medium' : excepted || !succeeded ? 'Low' : 'Informational',
    ...(isMfa !== undefined && { is_mfa: isMfa }),
    ...UNKNOWN_AUTH_PROTOCOL,
    ...(logonType && { logon_type_id: logonType.id, logon_type: logonType.name }),
    auth_factors: data.methods.map((method) => ({
      factor_type_id: FACTOR_TYPES[method.kind]?.id ?? 0,
      factor_type: FACTOR_TYPES[method.kind]?.name ?? 'Unknown',
      ...(method.kind === 'totp' && { is_totp: true }),
      ...(data.deviceId !== undefined && { device: { uid: data.deviceId, type_id: 0 } }),
    })),
    service: { name: data.applicationId, uid: data.applicationId },
    ...(data.ipAddress !== undefined && {
      src_endpoint: options.pseudonymiseIp ? { uid: options.pseudonymiseIp(data.ipAddress) } : { ip: data.ipAddress },
    }),
    ...(data.sessionId !== undefined && { session: { uid: data.sessionId } }),
    unmapped: {
      channel: data.channel,
      amr,
      ...(data.risk !== undefined && { risk: data.risk }),
      ...(verdict && {
        acr: verdict.acr,
        aal: verdict.achievedAal,
        required_aal: verdict.requiredAal,
        verdict: verdict.verdict,
        verdict_reasons: verdict.reasons,
        policy_version: verdict.policyVersion,
        decision_path: verdict.decisionPath,
        ...(verdict.assuranceRulesVersion !== undefined && { assurance_rules_version: verdict.assuranceRulesVersion }),
        ...(verdict.exception !== undefined && { exception: verdict.exception }),
        ...(verdict.restricted && { restricted: true, restricted_reason: verdict.restrictedReason }),
      }),
      ledger: ledgerPlace(event),
    },
  };
}

function accountChangeToOcsf(event: ExportableEvent, options: OcsfOptions) {
  const enabled = event.type === 'assurance.authenticator.enrolled';
  return {
    ...baseOf(event, 3001, 'Account Change', enabled ? 10 : 11, enabled ? 'MFA Factor Enable' : 'MFA Factor Disable', options),
    status_id: 1,
    status: 'Success',
    severity_id: 1,
    severity: 'Informational',
    unmapped: { ...event.data, ledger: ledgerPlace(event) },
  };
}

export type OcsfRecord = Record<string, unknown>;

/**
 * Maps the ledger's events to OCSF one by one. An authentication is held back
 * until the next event, because the ledger writes its verdict right after it
 * in the same append; the verdict goes into the authentication's `unmapped`.
 * Types with no OCSF class here (fallbacks, recoveries, sessions...) are
 * left to the JSONL export.
 */
export class OcsfMapper {
  private pendingAuthentication: ExportableEvent | undefined;

  constructor(private readonly options: OcsfOptions) {}

  push(event: ExportableEvent): OcsfRecord[] {
    const out: OcsfRecord[] = [];
    const pending = this.pendingAuthentication;
    this.pendingAuthentication = undefined;
    if (pending) {
      const verdict =
        event.type === LEDGER_EVENT_TYPES.authenticationEvaluated &&
        event.streamId === pending.streamId &&
        (event.data as unknown as AuthenticationEvaluatedData).authentication?.revision === pending.revision
          ? (event.data as unknown as AuthenticationEvaluatedData)
          : undefined;
      out.push(authenticationToOcsf(pending, verdict, this.options));
      if (verdict) return out;
    }
    if (event.type === 'assurance.authentication.succeeded' || event.type === 'assurance.authentication.failed') {
      this.pendingAuthentication = event;
    } else if (event.type === 'assurance.authenticator.enrolled' || event.type === 'assurance.authenticator.revoked') {
      out.push(accountChangeToOcsf(event, this.options));
    }
    return out;
  }

  /** Emits what is still held back at the end of the export. */
  flush(): OcsfRecord[] {
    const pending = this.pendingAuthentication;
    this.pendingAuthentication = undefined;
    return pending ? [authenticationToOcsf(pending, undefined, this.options)] : [];
  }
}
