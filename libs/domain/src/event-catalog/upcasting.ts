import { currentSchemaVersion, EventType, isKnownEventType, UnknownEventTypeError } from './catalog';

/** Turns data written at schema version `n` into data of version `n + 1`. Must be pure. */
export type Upcaster = (data: unknown) => unknown;

/** Per event type, the upcaster keyed by the version it upgrades *from*. */
export type UpcasterTable = Partial<Record<EventType, Readonly<Record<number, Upcaster>>>>;

export interface UpcastResult {
  schemaVersion: number;
  data: unknown;
}

export class SchemaVersionError extends Error {
  constructor(
    readonly eventType: EventType,
    readonly schemaVersion: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

/**
 * The one place where stored event data of an older schema version is brought
 * up to the version the code understands. Stored events are never rewritten:
 * they are hashed into a chain, so old shapes are upgraded on every read instead.
 */
export class Upcasters {
  constructor(
    private readonly table: UpcasterTable,
    private readonly latestVersionOf: (type: EventType) => number = currentSchemaVersion,
  ) {
    for (const [type, steps] of Object.entries(table) as [EventType, Record<number, Upcaster>][]) {
      for (const fromVersion of Object.keys(steps).map(Number)) {
        if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion >= this.latestVersionOf(type)) {
          throw new SchemaVersionError(
            type,
            fromVersion,
            `upcaster for ${type} from v${fromVersion} can never run: versions run from 1 to ${this.latestVersionOf(type)}`,
          );
        }
      }
    }
  }

  upcast(type: EventType, schemaVersion: number, data: unknown): UpcastResult {
    if (!isKnownEventType(type)) {
      throw new UnknownEventTypeError(type);
    }
    const latest = this.latestVersionOf(type);
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new SchemaVersionError(type, schemaVersion, `${type} has invalid schemaVersion ${String(schemaVersion)}; versions start at 1`);
    }
    if (schemaVersion > latest) {
      throw new SchemaVersionError(
        type,
        schemaVersion,
        `${type} has schemaVersion ${schemaVersion} but this code only knows up to ${latest}; upgrade the reader before reading this event`,
      );
    }
    let upcastData = data;
    for (let version = schemaVersion; version < latest; version++) {
      const step = this.table[type]?.[version];
      if (!step) {
        throw new SchemaVersionError(type, version, `no upcaster registered for ${type} from v${version} to v${version + 1}`);
      }
      upcastData = step(upcastData);
    }
    return { schemaVersion: latest, data: upcastData };
  }
}

/**
 * v1 enrollments predate enrollment governance: emitters could not say in
 * which session the binding happened or whether the subject was notified.
 * Upcast, they say so explicitly (`userNotified: false`: no notification
 * is on record), so every reader of v2 sees one shape and judges a v1
 * enrollment exactly like a v2 one that records no notification.
 */
export function upcastEnrollmentV1(data: unknown): unknown {
  return { ...(data as object), userNotified: false };
}

/** Every schema change that needs an upcaster registers it here. */
export const defaultUpcasters = new Upcasters({
  'assurance.authenticator.enrolled': { 1: upcastEnrollmentV1 },
});

export function upcast(type: EventType, schemaVersion: number, data: unknown): UpcastResult {
  return defaultUpcasters.upcast(type, schemaVersion, data);
}
