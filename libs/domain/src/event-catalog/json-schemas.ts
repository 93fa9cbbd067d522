import type { MetadataStorage as ClassTransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { IS_IP, ValidationTypes } from 'class-validator';
import { IS_RFC3339_DATE_TIME } from './rfc3339';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { currentSchemaVersion, dataClassOf, EVENT_TYPES, EventType } from './catalog';
import { MethodUsed, RiskAssessment } from './event-data';

// class-transformer ships no typings for this deep import; without its @Type
// metadata, arrays of nested objects would be described as `$ref: Array`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: ClassTransformerMetadataStorage;
};

type JsonSchema = Record<string, unknown>;

export interface EventTypeSchema {
  type: EventType;
  schemaVersion: number;
  /** JSON Schema (draft-07) of the event's `data`. */
  schema: object;
}

const DEFINITIONS_PREFIX = '#/definitions/';

/** Classes used inside event data; each becomes a shared definition in the schemas that use it. */
const NESTED_CLASSES: ReadonlyMap<string, new () => object> = new Map(
  [MethodUsed, RiskAssessment].map((nestedClass): [string, new () => object] => [nestedClass.name, nestedClass]),
);

const SCHEMA_OPTIONS: Parameters<typeof targetConstructorToSchema>[1] = {
  classTransformerMetadataStorage: defaultMetadataStorage,
  refPointerPrefix: DEFINITIONS_PREFIX,
  additionalConverters: {
    // Presence is already stated by `required`; the stock `not: null` only adds noise.
    [ValidationTypes.IS_DEFINED]: {},
    // The stock converters get these two wrong: RFC 3339 has no converter at all
    // and an IP without a version is described as IPv4 only.
    [IS_RFC3339_DATE_TIME]: { type: 'string', format: 'date-time' },
    [IS_IP]: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
  },
};

/** JSON Schema of every event type's data, e.g. for publishing the catalog to producers. */
export function eventTypeSchemas(): EventTypeSchema[] {
  return EVENT_TYPES.map((type) => ({
    type,
    schemaVersion: currentSchemaVersion(type),
    schema: standaloneSchema(type, dataClassOf(type)),
  }));
}

function standaloneSchema(type: EventType, dataClass: new () => object): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const pending = referencedNames(objectSchema(dataClass));
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (definitions[name]) continue;
    const nestedClass = NESTED_CLASSES.get(name);
    if (!nestedClass) {
      throw new Error(`schema of ${type} refers to ${name}, which is not registered as a nested class`);
    }
    definitions[name] = objectSchema(nestedClass);
    pending.push(...referencedNames(definitions[name]));
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: type,
    ...objectSchema(dataClass),
    ...(Object.keys(definitions).length > 0 ? { definitions } : {}),
  };
}

function objectSchema(target: new () => object): JsonSchema {
  // Unknown properties are refused by validation, so the schema says so too.
  return { ...(targetConstructorToSchema(target, SCHEMA_OPTIONS) as JsonSchema), additionalProperties: false };
}

function referencedNames(schema: unknown): string[] {
  if (Array.isArray(schema)) {
    return schema.flatMap(referencedNames);
  }
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  return Object.entries(schema).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value.slice(DEFINITIONS_PREFIX.length)] : referencedNames(value),
  );
}
