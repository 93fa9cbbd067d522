import Ajv, { type AnySchemaObject } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types';
import { TransformationType } from 'class-transformer';
import type { MetadataStorage as ClassTransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// class-transformer ships no typings for this deep import; its @Type metadata names the nested classes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: ClassTransformerMetadataStorage;
};

type Constructor = new (...args: never[]) => object;

export interface AcceptorOptions {
  /** Refuse properties the class does not declare, at every level (class-validator's `whitelist` with `forbidNonWhitelisted`). */
  closed: boolean;
}

/**
 * Every rule of every compiled class, by index: the keywords below name rules by their index, so a
 * schema stays plain JSON while the check it runs is class-validator's own constraint.
 */
const rules: ValidationMetadata[] = [];

function indexOf(rule: ValidationMetadata): number {
  const known = rules.indexOf(rule);
  return known >= 0 ? known : rules.push(rule) - 1;
}

function argumentsOf(rule: ValidationMetadata, object: unknown, value: unknown): ValidationArguments {
  return {
    value,
    constraints: rule.constraints,
    targetName: (rule.target as Constructor).name,
    object: object as object,
    property: rule.propertyName,
  };
}

/** One rule, with its constraints looked up once, applied as class-validator's executor applies it. */
function compiledRule(rule: ValidationMetadata): (object: unknown, value: unknown) => boolean {
  const constraints = getMetadataStorage().getTargetValidatorConstraints(rule.constraintCls);
  return (object, value) => {
    if (rule.validateIf && !rule.validateIf(object, value)) return true;
    return constraints.every(({ instance }) => {
      // `each` rules apply to every element of an array, the others to the value.
      const check = (item: unknown) => instance.validate(item, argumentsOf(rule, object, value)) === true;
      return rule.each && Array.isArray(value) ? value.every(check) : check(value);
    });
  };
}

/** A property is validated only when every ValidateIf / IsOptional condition on it holds. */
function conditionsHold(conditions: ValidationMetadata[], object: unknown, value: unknown): boolean {
  return conditions.every((condition) => (condition.constraints[0] as (object: unknown, value: unknown) => boolean)(object, value));
}

const ajv = new Ajv({ allErrors: false, strict: true });
ajv.addKeyword({
  keyword: 'classValidatorRules',
  schemaType: 'array',
  compile: (indices: number[]) => {
    const compiled = indices.map((index) => compiledRule(rules[index]));
    return (value: unknown, context?: DataValidationCxt) => compiled.every((passes) => passes(context?.parentData, value));
  },
});
ajv.addKeyword({
  keyword: 'classValidatorConditions',
  schemaType: 'array',
  compile: (indices: number[]) => {
    const conditions = indices.map((index) => rules[index]);
    return (value: unknown, context?: DataValidationCxt) => conditionsHold(conditions, context?.parentData, value);
  },
});
ajv.addKeyword({
  // class-validator visits declared properties that are absent too: an optional one is skipped only if its condition says so.
  keyword: 'classValidatorSkipsWhenAbsent',
  type: 'object',
  schemaType: 'object',
  compile: (byProperty: Record<string, number[]>) => {
    const entries = Object.entries(byProperty).map(([property, indices]) => [property, indices.map((index) => rules[index])] as const);
    return (object: Record<string, unknown>) =>
      entries.every(([property, conditions]) => property in object || !conditionsHold(conditions, object, undefined));
  },
});

/**
 * class-validator judges the instance class-transformer builds, the acceptor the plain value. They
 * are the same values unless class-transformer changes them, so a class that transforms, exposes
 * or excludes a property has no compiled form.
 */
function refuseTransformedProperties(target: Constructor, metadata: ValidationMetadata[]): void {
  const changed = [
    ...defaultMetadataStorage.getExposedMetadatas(target).map(({ propertyName }) => propertyName),
    ...defaultMetadataStorage.getExcludedMetadatas(target).map(({ propertyName }) => propertyName),
    ...metadata
      .map(({ propertyName }) => propertyName)
      .filter((property) => defaultMetadataStorage.findTransformMetadatas(target, property, TransformationType.PLAIN_TO_CLASS).length > 0),
  ];
  if (changed.length > 0)
    throw new Error(`${target.name}: class-transformer changes ${[...new Set(changed)].join(', ')}; no compiled form`);
}

function nestedClassOf(rule: ValidationMetadata): Constructor | undefined {
  return defaultMetadataStorage.findTypeMetadata(rule.target as Constructor, rule.propertyName)?.typeFunction() as Constructor | undefined;
}

/**
 * The JSON Schema of a class, in which Ajv checks only the structure (which properties, nesting)
 * and calls class-validator's own constraint for every rule. So it accepts no more than
 * class-validator does. Where the two differ, it is stricter: a required property is one without
 * a condition, and a nested value must be an object or an array of objects. Stricter only costs
 * the slow path. A rule kind it does not know stops compilation instead of being skipped.
 */
function schemaOf(target: Constructor, options: AcceptorOptions, definitions: Record<string, AnySchemaObject>): AnySchemaObject {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false);
  refuseTransformedProperties(target, metadata);
  // forbidUnknownValues: a class without rules is refused by class-validator.
  if (metadata.length === 0) return { not: {} };
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of metadata) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);

  const properties: Record<string, AnySchemaObject> = {};
  const required: string[] = [];
  const skipsWhenAbsent: Record<string, number[]> = {};
  for (const [property, propertyRules] of byProperty) {
    const conditions = propertyRules.filter((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION);
    const checks = propertyRules.filter(
      (rule) => rule.type === ValidationTypes.CUSTOM_VALIDATION || rule.type === ValidationTypes.IS_DEFINED,
    );
    const nested = propertyRules.filter((rule) => rule.type === ValidationTypes.NESTED_VALIDATION);
    const unknown = propertyRules.filter(
      (rule) => ![...conditions, ...checks, ...nested].includes(rule) && rule.type !== ValidationTypes.WHITELIST,
    );
    if (unknown.length > 0)
      throw new Error(`${target.name}.${property}: no compiled form for ${unknown.map((rule) => rule.type).join(', ')}`);

    const schema: AnySchemaObject = checks.length > 0 ? { classValidatorRules: checks.map(indexOf) } : {};
    if (nested.length > 0) {
      const nestedClass = nestedClassOf(nested[0]);
      if (!nestedClass) throw new Error(`${target.name}.${property}: @ValidateNested without @Type`);
      definitions[nestedClass.name] ??= schemaOf(nestedClass, options, definitions);
      const reference = { $ref: `#/definitions/${nestedClass.name}` };
      schema.anyOf = [{ type: 'array', items: reference }, reference];
    }
    if (conditions.length > 0) {
      properties[property] = { if: { classValidatorConditions: conditions.map(indexOf) }, then: schema };
      skipsWhenAbsent[property] = conditions.map(indexOf);
    } else {
      properties[property] = schema;
      required.push(property);
    }
  }
  return {
    type: 'object',
    properties,
    required,
    additionalProperties: !options.closed,
    ...(Object.keys(skipsWhenAbsent).length > 0 && { classValidatorSkipsWhenAbsent: skipsWhenAbsent }),
  };
}

const acceptors = {
  closed: new WeakMap<Constructor, (value: unknown) => boolean>(),
  open: new WeakMap<Constructor, (value: unknown) => boolean>(),
};

/**
 * A class's class-validator rules, compiled once (on first use) into an Ajv function that answers one question:
 * would class-validator accept this plain JSON value? `true` is a promise that it would; `false`
 * means "ask class-validator", which alone words the issues. class-validator stays the only source
 * of the rules; this spares accepted input class-transformer's copy and the generic executor's
 * metadata look-ups and error objects.
 */
export function acceptorOf(target: Constructor, options: AcceptorOptions): (value: unknown) => boolean {
  const compiled = acceptors[options.closed ? 'closed' : 'open'];
  let accepts = compiled.get(target);
  if (!accepts) {
    accepts = compile(target, options);
    compiled.set(target, accepts);
  }
  return accepts;
}

function compile(target: Constructor, options: AcceptorOptions): (value: unknown) => boolean {
  const definitions: Record<string, AnySchemaObject> = {};
  const root = schemaOf(target, options, definitions);
  const validate = ajv.compile({ ...root, definitions });
  return (value) => validate(value) === true;
}
