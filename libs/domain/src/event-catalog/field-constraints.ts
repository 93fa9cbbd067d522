import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsIP,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { IsRfc3339DateTime } from './rfc3339';

/**
 * Upper bounds for every string and list in event data. Events are kept forever
 * and hashed into a chain, so an unbounded field is a storage and abuse problem
 * that cannot be cleaned up later.
 */
export const STRING_LIMITS = {
  /** Identifiers issued by other systems (UUIDs, URNs, opaque handles). */
  id: 200,
  /** Short labels such as a platform name, proofing method or risk signal. */
  label: 100,
  /** Human-written explanations such as a reason. */
  text: 1000,
  /** An RFC 3339 date-time; the longest sensible one is far below this. */
  timestamp: 64,
  /** The longest textual IPv6 address, one with an embedded IPv4 tail. */
  ipAddress: 45,
  /** A UUID in its canonical textual form. */
  aaguid: 36,
} as const;

export const LIST_LIMITS = {
  methods: 10,
  amr: 10,
  evidence: 20,
  riskSignals: 50,
} as const;

export interface FieldOptions {
  optional?: boolean;
}

type Constructor = new (...args: never[]) => object;

/** Reasons never repeat the property name: the issue path already carries it. */
const because = (message: string, each = false): ValidationOptions => ({ message, each });

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => decorators.forEach((decorate) => decorate(target, propertyKey));
}

/**
 * Optional means "may be absent", not "may be null": a null would not match the
 * published JSON Schema type, so it is validated (and refused) like any value.
 */
function presence({ optional = false }: FieldOptions): PropertyDecorator {
  return optional ? ValidateIf((_object, value) => value !== undefined) : IsDefined(because('is required'));
}

function stringRules(maxLength: number, each = false): PropertyDecorator[] {
  return [
    IsString(because('must be a string', each)),
    MinLength(1, because('must not be empty', each)),
    MaxLength(maxLength, because(`must be at most ${maxLength} characters`, each)),
  ];
}

function listRules(maxItems: number): PropertyDecorator[] {
  return [IsArray(because('must be an array')), ArrayMaxSize(maxItems, because(`must contain at most ${maxItems} items`))];
}

export const oneOfReason = (values: readonly string[]): string => `must be one of: ${values.join(', ')}`;

export const BoundedString = (maxLength: number, options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), ...stringRules(maxLength));

export const Id = (options?: FieldOptions) => BoundedString(STRING_LIMITS.id, options);
export const Label = (options?: FieldOptions) => BoundedString(STRING_LIMITS.label, options);
export const FreeText = (options?: FieldOptions) => BoundedString(STRING_LIMITS.text, options);

export const OneOf = (values: readonly string[], options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), IsIn([...values], because(oneOfReason(values))));

export const Flag = (options: FieldOptions = {}): PropertyDecorator => compose(presence(options), IsBoolean(because('must be a boolean')));

export const IntegerBetween = (min: number, max: number, options: FieldOptions = {}): PropertyDecorator =>
  compose(
    presence(options),
    IsInt(because('must be an integer')),
    Min(min, because(`must be at least ${min}`)),
    Max(max, because(`must be at most ${max}`)),
  );

export const Timestamp = (options: FieldOptions = {}): PropertyDecorator =>
  compose(
    presence(options),
    IsRfc3339DateTime(because('must be an RFC 3339 date-time from 1970 to 9999 (in UTC), e.g. 2026-11-02T09:15:00Z')),
    MaxLength(STRING_LIMITS.timestamp, because(`must be at most ${STRING_LIMITS.timestamp} characters`)),
  );

export const IpAddress = (options: FieldOptions = {}): PropertyDecorator =>
  compose(
    presence(options),
    IsIP(undefined, because('must be an IPv4 or IPv6 address')),
    MaxLength(STRING_LIMITS.ipAddress, because(`must be at most ${STRING_LIMITS.ipAddress} characters`)),
  );

/** WebAuthn AAGUIDs are 128-bit values written in UUID form; all-zero is valid. */
export const Aaguid = (options: FieldOptions = {}): PropertyDecorator =>
  compose(
    presence(options),
    Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, because('must be an AAGUID in UUID form')),
    // Implied by the pattern, but stated so the JSON Schema shows the bound too.
    MaxLength(STRING_LIMITS.aaguid, because(`must be at most ${STRING_LIMITS.aaguid} characters`)),
  );

export const StringList = (maxItems: number, maxLength: number, options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), ...listRules(maxItems), ...stringRules(maxLength, true));

export const OneOfList = (values: readonly string[], maxItems: number, options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), ...listRules(maxItems), IsIn([...values], because(oneOfReason(values), true)));

export const NestedObject = (type: () => Constructor, options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), IsObject(because('must be an object')), ValidateNested(because('must be an object')), Type(type));

export const NestedList = (type: () => Constructor, maxItems: number, options: FieldOptions = {}): PropertyDecorator =>
  compose(presence(options), ...listRules(maxItems), ValidateNested(because('must be an object', true)), Type(type));
