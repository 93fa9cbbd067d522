import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationError, validateSync } from 'class-validator';
import { dataClassOf, EVENT_TYPES, EventType, isKnownEventType } from './catalog';
import { acceptorOf } from './compiled-validation';
import { enrollmentContradictions } from './enrollment-consistency';

export interface CatalogIssue {
  /** Location inside the event data, e.g. `methods[0].kind`, `risk.level`, `ial`; '' is the data itself. */
  path: string;
  reason: string;
}

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // Keeps `target` and `value` on errors: element-level paths are recovered from them.
  validationError: { target: true, value: true },
} as const;

/** Returns every problem with `data` for the given event type; an empty list means valid. */
export function validateEventData(type: EventType, data: unknown): CatalogIssue[] {
  if (!isKnownEventType(type)) {
    return [{ path: '', reason: `unknown event type "${String(type)}"; must be one of: ${EVENT_TYPES.join(', ')}` }];
  }
  if (!isPlainObject(data)) {
    return [{ path: '', reason: `event data must be a JSON object, got ${describeKind(data)}` }];
  }
  // Accepted data skips class-validator's generic executor; refused data is worded by class-validator.
  const issues = acceptorOf(dataClassOf(type), { closed: true })(data) ? [] : fieldIssues(type, data);
  // Cross-field rules only once every field is valid on its own, so each issue stays worth reading.
  if (issues.length === 0 && type === 'assurance.authenticator.enrolled') return enrollmentContradictions(data);
  return issues;
}

/** class-validator's verdict, field by field: the source of every rule and every message. */
function fieldIssues(type: EventType, data: Record<string, unknown>): CatalogIssue[] {
  // Refused wherever they are, and reported alone: class-transformer throws on an undeclared
  // object that holds a `constructor` key, so it never sees one.
  const dropped = droppedKeyIssues(data, '');
  if (dropped.length > 0) return uniqueIssues(dropped);
  const instance = plainToInstance(dataClassOf(type), data);
  return uniqueIssues(flatten(validateSync(instance, VALIDATOR_OPTIONS), ''));
}

/**
 * class-transformer silently drops these keys while building the instance, so the
 * whitelist never sees them; but the raw data is what gets stored, so they must
 * be refused here. No catalog field uses either name.
 */
const KEYS_DROPPED_BY_TRANSFORMER = ['__proto__', 'constructor'];

function droppedKeyIssues(value: unknown, path: string): CatalogIssue[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => droppedKeyIssues(item, `${path}[${index}]`));
  }
  if (!isPlainObject(value)) {
    return [];
  }
  return Object.keys(value).flatMap((key) =>
    KEYS_DROPPED_BY_TRANSFORMER.includes(key)
      ? [{ path: joinPath(path, key), reason: `property ${key} should not exist` }]
      : droppedKeyIssues(value[key], joinPath(path, key)),
  );
}

function flatten(errors: ValidationError[], parentPath: string, parentIsList = false): CatalogIssue[] {
  return errors.flatMap((error) => {
    const path = parentIsList ? `${parentPath}[${error.property}]` : joinPath(parentPath, error.property);
    return [...constraintIssues(error, path), ...flatten(error.children ?? [], path, Array.isArray(error.value))];
  });
}

/**
 * A value of the wrong type (or none at all) also fails every rule that follows,
 * e.g. a number given for a name is "not a string" and "not at most 200 characters".
 * Only the most fundamental failure is reported, so each issue is worth reading.
 */
const RULE_PRECEDENCE: readonly (readonly string[])[] = [
  ['isDefined'],
  ['isString', 'isBoolean', 'isInt', 'isArray', 'isObject', 'nestedValidation'],
];

interface RuleIssue extends CatalogIssue {
  rule: string;
}

function constraintIssues(error: ValidationError, path: string): CatalogIssue[] {
  const issues = Object.entries(error.constraints ?? {}).flatMap(
    ([rule, reason]) => elementIssues(error, rule, path, reason) ?? [{ path, reason, rule }],
  );
  return [...groupByPath(issues).values()].flatMap(mostFundamental).map(({ path, reason }) => ({ path, reason }));
}

function mostFundamental(issues: RuleIssue[]): RuleIssue[] {
  for (const rules of RULE_PRECEDENCE) {
    const fundamental = issues.filter((issue) => rules.includes(issue.rule));
    if (fundamental.length > 0) {
      return fundamental;
    }
  }
  return issues;
}

function groupByPath(issues: RuleIssue[]): Map<string, RuleIssue[]> {
  const byPath = new Map<string, RuleIssue[]>();
  for (const issue of issues) {
    byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue]);
  }
  return byPath;
}

/**
 * class-validator reports a failed `each` rule against the whole array. Re-running
 * that one rule per element lets the issue point at the offending item, e.g. `amr[2]`.
 */
function elementIssues(error: ValidationError, rule: string, path: string, reason: string): RuleIssue[] | undefined {
  if (!Array.isArray(error.value) || !error.target) {
    return undefined;
  }
  const target = error.target;
  const storage = getMetadataStorage();
  for (const metadata of storage.getTargetValidationMetadatas(target.constructor, '', true, false)) {
    if (metadata.propertyName !== error.property || !metadata.each) {
      continue;
    }
    const constraint = storage.getTargetValidatorConstraints(metadata.constraintCls).find((candidate) => candidate.name === rule);
    if (!constraint) {
      continue;
    }
    const items: unknown[] = error.value;
    return items.flatMap((item, index) => {
      const args = { value: item, constraints: metadata.constraints, targetName: '', object: target, property: error.property };
      return constraint.instance.validate(item, args) ? [] : [{ path: `${path}[${index}]`, reason, rule }];
    });
  }
  return undefined;
}

function joinPath(parent: string, property: string): string {
  return parent ? `${parent}.${property}` : property;
}

function uniqueIssues(issues: CatalogIssue[]): CatalogIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.path, issue.reason]);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a non-plain object' : `a ${typeof value}`;
}
