import {
  AuthenticationData,
  AuthenticationFailedData,
  AuthenticatorEnrolledData,
  AuthenticatorRevokedData,
  BreakglassUsedData,
  DeviceData,
  FallbackUsedData,
  IdentityProofedData,
  RecoveryApprovedData,
  RecoveryData,
  SessionClosedData,
  SessionStartedData,
  StepUpData,
} from './event-data';

interface CatalogEntry {
  /** Version of the data shape that this code writes; older versions are upcast on read. */
  schemaVersion: number;
  dataClass: new () => object;
}

/** The single source of truth for which event types exist and what their data looks like. */
const CATALOG = {
  'assurance.identity.proofed': { schemaVersion: 1, dataClass: IdentityProofedData },
  // v2 added the optional sessionId and userNotified.
  'assurance.authenticator.enrolled': { schemaVersion: 2, dataClass: AuthenticatorEnrolledData },
  'assurance.authenticator.revoked': { schemaVersion: 1, dataClass: AuthenticatorRevokedData },
  'assurance.device.bound': { schemaVersion: 1, dataClass: DeviceData },
  'assurance.device.unbound': { schemaVersion: 1, dataClass: DeviceData },
  'assurance.device.compliance-changed': { schemaVersion: 1, dataClass: DeviceData },
  'assurance.authentication.succeeded': { schemaVersion: 1, dataClass: AuthenticationData },
  'assurance.authentication.failed': { schemaVersion: 1, dataClass: AuthenticationFailedData },
  'assurance.stepup.challenged': { schemaVersion: 1, dataClass: StepUpData },
  'assurance.stepup.completed': { schemaVersion: 1, dataClass: StepUpData },
  'assurance.stepup.failed': { schemaVersion: 1, dataClass: StepUpData },
  'assurance.fallback.used': { schemaVersion: 1, dataClass: FallbackUsedData },
  'assurance.recovery.initiated': { schemaVersion: 1, dataClass: RecoveryData },
  'assurance.recovery.completed': { schemaVersion: 1, dataClass: RecoveryData },
  'assurance.recovery.failed': { schemaVersion: 1, dataClass: RecoveryData },
  'assurance.recovery.approved': { schemaVersion: 1, dataClass: RecoveryApprovedData },
  'assurance.breakglass.used': { schemaVersion: 1, dataClass: BreakglassUsedData },
  'assurance.session.started': { schemaVersion: 1, dataClass: SessionStartedData },
  'assurance.session.ended': { schemaVersion: 1, dataClass: SessionClosedData },
  'assurance.session.revoked': { schemaVersion: 1, dataClass: SessionClosedData },
} as const satisfies Record<string, CatalogEntry>;

export type EventType = keyof typeof CATALOG;

/** The data shape of one event type, e.g. `EventData<'assurance.device.bound'>` is `DeviceData`. */
export type EventData<T extends EventType> = InstanceType<(typeof CATALOG)[T]['dataClass']>;

/** An event as the domain sees it: catalog type and data, plus where it sits in its stream. */
export type CatalogEvent<T extends EventType = EventType> = {
  [K in T]: {
    type: K;
    data: EventData<K>;
    /** RFC 3339 time at which the fact occurred (CloudEvents `time`). */
    time?: string;
    revision?: number;
  };
}[T];

export const EVENT_TYPES: readonly EventType[] = Object.freeze(Object.keys(CATALOG) as EventType[]);

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(CATALOG, type);
}

export function currentSchemaVersion(type: EventType): number {
  return catalogEntry(type).schemaVersion;
}

export function dataClassOf(type: EventType): new () => object {
  return catalogEntry(type).dataClass;
}

function catalogEntry(type: EventType): CatalogEntry {
  if (!isKnownEventType(type)) {
    throw new UnknownEventTypeError(type);
  }
  return CATALOG[type];
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type "${eventType}"; must be one of: ${EVENT_TYPES.join(', ')}`);
    this.name = 'UnknownEventTypeError';
  }
}
