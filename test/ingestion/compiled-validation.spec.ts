import * as fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { acceptorOf, EVENT_TYPES, EventType, validateEventData } from '@ledger/domain';
import { dataClassOf } from '../../libs/domain/src/event-catalog/catalog';
import { CloudEventEnvelopeDto, envelopeIssues, parseCloudEvent } from '../../apps/ledger-api/src/ingestion/record-events/cloud-event.dto';
import { generateEstate } from '../../libs/estate-generator/src';
import { DecideAccessDto } from '../../apps/ledger-api/src/policy/decide-access/decide-access.dto';
import { PublishPolicyDto } from '../../apps/ledger-api/src/policy/publish-policy/publish-policy.dto';
import {
  ApproveExceptionDto,
  ExceptionReasonDto,
  RequestExceptionDto,
} from '../../apps/ledger-api/src/governance/exceptions/exception-dto';
import {
  AcknowledgeCaseDto,
  EscalateCaseDto,
  ResolveCaseDto,
} from '../../apps/ledger-api/src/governance/review-cases/act-on-review-case/act-on-review-case.dto';
import { BulkActionDto } from '../../apps/ledger-api/src/governance/review-cases/bulk-act-on-review-cases/bulk-act-on-review-cases.dto';

/**
 * The compiled validators may only ever say "class-validator would accept this": a value they accept
 * and class-validator refuses would be stored unchecked. So each is held to class-validator itself,
 * run with the ingestion path's own options, on the estate's realistic events and on mutations of them.
 */
const estate = [...generateEstate({ seed: 20261129, subjects: 60 })];
const CASES = 3000;

const DATA_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

function classValidatorAcceptsData(type: EventType, data: unknown): boolean {
  return validateSync(plainToInstance(dataClassOf(type), data as object), DATA_OPTIONS).length === 0;
}

function classValidatorAcceptsEnvelope(body: Record<string, unknown>): boolean {
  return envelopeIssues(body, 0).length === 0;
}

const dataAcceptors = new Map(EVENT_TYPES.map((type) => [type, acceptorOf(dataClassOf(type), { closed: true })]));
const acceptsEnvelope = acceptorOf(CloudEventEnvelopeDto, { closed: false });

/** Values where JSON Schema and class-validator are known to count or match differently, and plain wrong ones. */
const trickyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '\uFE0F',
    'a\uFE0F',
    '😀',
    'x'.repeat(36),
    'x'.repeat(201),
    `${'é\uFE0F'.repeat(150)}`,
    'EE882879-721C-4913-9775-3DFCCE97072A',
    'ee882879-721c-4913-9775-3dfcce97072a',
    '2026-02-30T10:00:00Z',
    '2026-11-02T09:15:00Z',
    '2026-11-02T24:00:00Z',
    '1969-12-31T23:59:59Z',
    '9999-12-31T23:59:59-23:59',
    '10.0.0.1',
    '::ffff:10.0.0.1',
    '256.1.1.1',
    'fe80::1%eth0',
    'line\nbreak',
    'tab\there',
    'emp-0000001',
    '-leading-dash',
    '1.0',
    'application/json',
    'web',
    'passkey',
    'security-key',
    'high',
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e21,
    [],
    {},
  ),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.array(fc.constantFrom('pwd', 'hwk', 'otp', 'sms', 'x', '', 1, null), { maxLength: 12 }),
  fc.dictionary(
    fc.constantFrom('kind', 'level', 'amr', 'signals', 'score', 'x', 'constructor', '__proto__'),
    fc.constantFrom('a', 1, null, []),
  ),
);

/** Every path into a value: object keys and array indices, nested. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

type Mutation = { kind: 'set' | 'delete' | 'add'; at: number; key: string; value: unknown };

/** Sets, deletes or adds one property somewhere inside `root` (a deep copy), chosen by `at`. */
function mutate(root: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string, unknown>;
  const paths = pathsOf(copy);
  if (mutation.kind === 'add' || paths.length === 0) {
    const containers = [[], ...paths].filter((path) => {
      const node = path.reduce<any>((value, key) => value[key], copy);
      return typeof node === 'object' && node !== null && !Array.isArray(node);
    });
    const target = containers[mutation.at % containers.length].reduce<any>((value, key) => value[key], copy);
    // defineProperty, so that `__proto__` becomes an own key, as JSON.parse makes it.
    Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  const path = paths[mutation.at % paths.length];
  const parent = path.slice(0, -1).reduce<any>((value, key) => value[key], copy);
  const last = path[path.length - 1];
  if (mutation.kind === 'delete' && !Array.isArray(parent)) delete parent[last];
  else parent[last] = mutation.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('set', 'set', 'delete', 'add'),
  at: fc.nat(),
  key: fc.constantFrom('x', 'constructor', '__proto__', 'kind', 'Level'),
  value: trickyValue,
});

const sampleOf = fc.constantFrom(...estate);

describe('compiled validation (the ingestion fast path)', () => {
  it('compiles the rules of every catalog type', () => {
    expect([...dataAcceptors.keys()]).toEqual([...EVENT_TYPES]);
  });

  it('accepts every realistic event, so the fast path is the common path', () => {
    const refusedData = estate.filter((event) => !dataAcceptors.get(event.type)!(event.data));
    const refusedEnvelopes = estate.filter((event) => !acceptsEnvelope(event as unknown as Record<string, unknown>));
    expect(refusedData.map((event) => event.id)).toEqual([]);
    expect(refusedEnvelopes.map((event) => event.id)).toEqual([]);
    expect(new Set(estate.map((event) => event.type)).size).toBeGreaterThanOrEqual(10);
  });

  it('never accepts data that class-validator refuses', () => {
    fc.assert(
      fc.property(sampleOf, fc.array(mutation, { minLength: 1, maxLength: 3 }), (event, mutations) => {
        const data = mutations.reduce((value, next) => mutate(value, next), event.data as unknown as Record<string, unknown>);
        if (dataAcceptors.get(event.type)!(data)) expect(classValidatorAcceptsData(event.type, data)).toBe(true);
      }),
      { numRuns: CASES, seed: 20261206 },
    );
  });

  it('never accepts an envelope that class-validator refuses', () => {
    fc.assert(
      fc.property(sampleOf, fc.array(mutation, { minLength: 1, maxLength: 2 }), (event, mutations) => {
        const { data, ...attributes } = event as unknown as Record<string, unknown>;
        const body = { ...mutations.reduce((value, next) => mutate(value, next), attributes), data };
        if (acceptsEnvelope(body)) expect(classValidatorAcceptsEnvelope(body)).toBe(true);
      }),
      { numRuns: CASES, seed: 20261206 },
    );
  });

  it('compiles every request body the API validates', () => {
    const bodies = [
      DecideAccessDto,
      PublishPolicyDto,
      RequestExceptionDto,
      ApproveExceptionDto,
      ExceptionReasonDto,
      AcknowledgeCaseDto,
      EscalateCaseDto,
      ResolveCaseDto,
      BulkActionDto,
    ];
    for (const body of bodies) expect(typeof acceptorOf(body, { closed: true })).toBe('function');
  });

  it('never accepts a decision request that class-validator refuses', () => {
    const acceptsDecision = acceptorOf(DecideAccessDto, { closed: true });
    const valid = estate.slice(0, 50).map((event, index) => ({
      subjectId: event.subject,
      channel: ['web', 'vpn', 'saas', 'privileged', 'api'][index % 5],
      applicationId: `app-${index}`,
      ...(index % 2 === 0 && { sessionId: `s-${index}` }),
      context: { signals: index % 3 === 0 ? [] : ['new-device'], ...(index % 4 === 0 && { ipAddress: '10.0.0.1', riskLevel: 'low' }) },
    }));
    expect(valid.filter((body) => !acceptsDecision(body))).toEqual([]);
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }), (body, mutations) => {
        const mutated = mutations.reduce((value, next) => mutate(value, next), body as Record<string, unknown>);
        if (acceptsDecision(mutated)) {
          expect(validateSync(plainToInstance(DecideAccessDto, mutated), DATA_OPTIONS)).toEqual([]);
        }
      }),
      { numRuns: CASES, seed: 20261206 },
    );
  });

  it('leaves every refusal and its wording to class-validator', () => {
    const event = estate.find((candidate) => candidate.type === 'assurance.authentication.succeeded')!;
    const data = { ...(event.data as unknown as Record<string, unknown>), channel: 'carrier-pigeon', extra: 1 };
    expect(validateEventData(event.type, data)).toEqual([
      { path: 'extra', reason: 'property extra should not exist' },
      { path: 'channel', reason: expect.stringMatching(/^must be one of: /) },
    ]);
    const { issues } = parseCloudEvent({ ...event, specversion: '0.3', time: '2026-02-30T10:00:00Z' }, 4);
    expect(issues.map(({ index, field }) => [index, field])).toEqual([
      [4, 'specversion'],
      [4, 'time'],
    ]);
  });

  it('answers, and does not throw, for objects holding a constructor key, which class-transformer cannot copy', () => {
    const event = estate.find((candidate) => candidate.type === 'assurance.authentication.succeeded')!;
    const hostile = { constructor: 'a' };
    expect(validateEventData(event.type, { ...(event.data as unknown as Record<string, unknown>), extra: hostile })).toEqual([
      { path: 'extra.constructor', reason: 'property constructor should not exist' },
    ]);
    const { issues } = parseCloudEvent({ ...event, specversion: '0.3', id: hostile, x: hostile }, 0);
    expect([...new Set(issues.map(({ field }) => field))].sort()).toEqual(['id', 'specversion', 'x']);
  });
});
