import {
  AMR_VALUES,
  AUTHENTICATOR_KINDS,
  CHANNELS,
  currentSchemaVersion,
  EVENT_TYPES,
  EventType,
  isKnownEventType,
  RECOVERY_METHODS,
  RISK_LEVELS,
  validateEventData,
} from '@ledger/domain';
import { VALID_EVENT_DATA_EXAMPLES } from '@ledger/domain/testing';

/** A fresh, mutable copy of the valid example for `type`, with `overrides` applied. */
function exampleOf(type: EventType, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(VALID_EVENT_DATA_EXAMPLES[type]), ...overrides };
}

const oneOf = (values: readonly string[]) => `must be one of: ${values.join(', ')}`;

describe('event catalog', () => {
  it('knows exactly the assurance event types', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'assurance.identity.proofed',
        'assurance.authenticator.enrolled',
        'assurance.authenticator.revoked',
        'assurance.device.bound',
        'assurance.device.unbound',
        'assurance.device.compliance-changed',
        'assurance.authentication.succeeded',
        'assurance.authentication.failed',
        'assurance.stepup.challenged',
        'assurance.stepup.completed',
        'assurance.stepup.failed',
        'assurance.fallback.used',
        'assurance.recovery.initiated',
        'assurance.recovery.completed',
        'assurance.recovery.failed',
        'assurance.recovery.approved',
        'assurance.breakglass.used',
        'assurance.session.started',
        'assurance.session.ended',
        'assurance.session.revoked',
      ].sort(),
    );
  });

  it('recognises catalog types and nothing else, including inherited object members', () => {
    expect(isKnownEventType('assurance.device.bound')).toBe(true);
    expect(isKnownEventType('assurance.device.lost')).toBe(false);
    expect(isKnownEventType('constructor')).toBe(false);
    expect(isKnownEventType('toString')).toBe(false);
  });

  it('is at schema version 1 for every type but enrollment, which v2 extended', () => {
    expect(Object.fromEntries(EVENT_TYPES.map((type) => [type, currentSchemaVersion(type)]))).toEqual(
      Object.fromEntries(EVENT_TYPES.map((type) => [type, type === 'assurance.authenticator.enrolled' ? 2 : 1])),
    );
  });
});

describe('validateEventData', () => {
  it.each(EVENT_TYPES)('accepts the valid example of %s', (type) => {
    expect(validateEventData(type, VALID_EVENT_DATA_EXAMPLES[type])).toEqual([]);
  });

  it('accepts data without its optional fields', () => {
    const data = { channel: 'api', applicationId: 'billing', methods: [{ kind: 'passkey-synced', amr: [] }] };
    expect(validateEventData('assurance.authentication.succeeded', data)).toEqual([]);
  });

  it('does not modify the data it validates', () => {
    const data = exampleOf('assurance.authentication.succeeded', { extra: 1 });
    const before = structuredClone(data);
    validateEventData('assurance.authentication.succeeded', data);
    expect(data).toEqual(before);
  });

  describe('closed enums', () => {
    it.each([
      ['assurance.authentication.succeeded', { channel: 'email' }, 'channel', oneOf(CHANNELS)],
      ['assurance.authenticator.enrolled', { kind: 'magic-link' }, 'kind', oneOf(AUTHENTICATOR_KINDS)],
      ['assurance.fallback.used', { usedMethod: 'carrier-pigeon' }, 'usedMethod', oneOf(AUTHENTICATOR_KINDS)],
      ['assurance.recovery.initiated', { method: 'security-questions' }, 'method', oneOf(RECOVERY_METHODS)],
      ['assurance.authentication.failed', { risk: { level: 'critical', signals: [] } }, 'risk.level', oneOf(RISK_LEVELS)],
      ['assurance.stepup.challenged', { methods: [{ kind: 'fax', amr: [] }] }, 'methods[0].kind', oneOf(AUTHENTICATOR_KINDS)],
    ] as const)('%s refuses %j at %s and lists the allowed values', (type, overrides, path, reason) => {
      expect(validateEventData(type, exampleOf(type, overrides))).toEqual([{ path, reason }]);
    });

    it('spells the allowed channels out', () => {
      const issues = validateEventData('assurance.session.started', exampleOf('assurance.session.started', { channel: 'ftp' }));
      expect(issues).toEqual([{ path: 'channel', reason: 'must be one of: web, vpn, saas, privileged, api' }]);
    });

    it('points at each offending amr value inside each method', () => {
      const methods = [
        { kind: 'security-key', amr: ['hwk'] },
        { kind: 'totp', amr: ['otp-ish', 'otp', 'sms2'] },
      ];
      const issues = validateEventData('assurance.authentication.succeeded', exampleOf('assurance.authentication.succeeded', { methods }));
      expect(issues).toEqual([
        { path: 'methods[1].amr[0]', reason: oneOf(AMR_VALUES) },
        { path: 'methods[1].amr[2]', reason: oneOf(AMR_VALUES) },
      ]);
    });
  });

  describe('an enrollment whose kind contradicts its flags', () => {
    const enrollment = (overrides: Record<string, unknown>) => exampleOf('assurance.authenticator.enrolled', overrides);
    it.each<[string, Record<string, unknown>, string[]]>([
      [
        'Appendix B: a synced passkey claiming hardware-bound and not syncable',
        { kind: 'passkey-synced', phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
        ['hardwareBound', 'syncable'],
      ],
      [
        '§3.2.13: a device-bound passkey claiming to sync',
        { kind: 'passkey-device-bound', phishingResistant: true, hardwareBound: true, syncable: true, userVerification: true },
        ['syncable'],
      ],
      [
        '§3.2.5: SMS claiming phishing resistance',
        { kind: 'sms', phishingResistant: true, hardwareBound: false, syncable: false },
        ['phishingResistant'],
      ],
      [
        '§3.2.5: voice claiming phishing resistance',
        { kind: 'voice', phishingResistant: true, hardwareBound: false, syncable: false },
        ['phishingResistant'],
      ],
      [
        '§3.2.5: e-mail claiming phishing resistance',
        { kind: 'email-otp', phishingResistant: true, hardwareBound: false, syncable: false },
        ['phishingResistant'],
      ],
      [
        '§3.2.5: TOTP claiming phishing resistance',
        { kind: 'totp', phishingResistant: true, hardwareBound: false, syncable: false },
        ['phishingResistant'],
      ],
      [
        'Appendix B: a password claiming to be syncable',
        { kind: 'password', phishingResistant: false, hardwareBound: false, syncable: true },
        ['syncable'],
      ],
    ])('is refused naming the fields: %s', (_, overrides, paths) => {
      const issues = validateEventData('assurance.authenticator.enrolled', enrollment(overrides));
      expect(issues.map((issue) => issue.path)).toEqual(paths);
      issues.forEach((issue) => expect(issue.reason).toMatch(/SP 800-63B-4/));
    });

    it('accepts a synced passkey as it really is', () => {
      const passkey = { kind: 'passkey-synced', phishingResistant: true, hardwareBound: false, syncable: true, userVerification: true };
      expect(validateEventData('assurance.authenticator.enrolled', enrollment(passkey))).toEqual([]);
    });
  });

  describe('unknown properties', () => {
    it('names an unknown top-level property', () => {
      const issues = validateEventData('assurance.breakglass.used', exampleOf('assurance.breakglass.used', { foo: 'bar' }));
      expect(issues).toEqual([{ path: 'foo', reason: 'property foo should not exist' }]);
    });

    it('names unknown properties inside nested objects', () => {
      const data = exampleOf('assurance.authentication.succeeded', {
        methods: [{ kind: 'totp', amr: ['otp'], secret: '123456' }],
        risk: { level: 'low', signals: [], score: 3 },
      });
      expect(validateEventData('assurance.authentication.succeeded', data)).toEqual([
        { path: 'methods[0].secret', reason: 'property secret should not exist' },
        { path: 'risk.score', reason: 'property score should not exist' },
      ]);
    });

    it('refuses __proto__ and constructor keys, which a JSON body can carry as own properties', () => {
      const body = JSON.stringify({
        ...VALID_EVENT_DATA_EXAMPLES['assurance.authentication.succeeded'],
        constructor: { polluted: true },
        methods: [{ kind: 'totp', amr: ['otp'] }],
      }).replace('"kind"', '"__proto__":{"polluted":true},"kind"');
      expect(validateEventData('assurance.authentication.succeeded', JSON.parse(body))).toEqual([
        { path: 'methods[0].__proto__', reason: 'property __proto__ should not exist' },
        { path: 'constructor', reason: 'property constructor should not exist' },
      ]);
    });

    it('does not let session end events carry an expiry', () => {
      const data = exampleOf('assurance.session.ended', { expiresAt: '2024-05-01T18:00:00Z' });
      expect(validateEventData('assurance.session.ended', data)).toEqual([
        { path: 'expiresAt', reason: 'property expiresAt should not exist' },
      ]);
    });
  });

  describe('bounded sizes', () => {
    it.each([
      ['assurance.authentication.succeeded', 'applicationId', 200],
      ['assurance.authenticator.revoked', 'reason', 1000],
      ['assurance.device.bound', 'platform', 100],
      ['assurance.identity.proofed', 'method', 100],
      ['assurance.breakglass.used', 'approvedBy', 200],
    ] as const)('%s.%s accepts %i characters and refuses one more', (type, field, limit) => {
      expect(validateEventData(type, exampleOf(type, { [field]: 'x'.repeat(limit) }))).toEqual([]);
      expect(validateEventData(type, exampleOf(type, { [field]: 'x'.repeat(limit + 1) }))).toEqual([
        { path: field, reason: `must be at most ${limit} characters` },
      ]);
    });

    it('bounds the strings inside lists and nested objects', () => {
      const proofed = exampleOf('assurance.identity.proofed', { evidence: ['passport', 'e'.repeat(201)] });
      expect(validateEventData('assurance.identity.proofed', proofed)).toEqual([
        { path: 'evidence[1]', reason: 'must be at most 200 characters' },
      ]);
      const authenticated = exampleOf('assurance.authentication.succeeded', {
        methods: [{ kind: 'totp', authenticatorId: 'a'.repeat(201), amr: ['otp'] }],
      });
      expect(validateEventData('assurance.authentication.succeeded', authenticated)).toEqual([
        { path: 'methods[0].authenticatorId', reason: 'must be at most 200 characters' },
      ]);
    });

    it.each([
      ['assurance.authentication.succeeded', 'methods', 10, { kind: 'totp', amr: ['otp'] }],
      ['assurance.identity.proofed', 'evidence', 20, 'utility-bill'],
    ] as const)('%s.%s holds at most %i items', (type, field, limit, item) => {
      expect(validateEventData(type, exampleOf(type, { [field]: Array(limit).fill(item) }))).toEqual([]);
      expect(validateEventData(type, exampleOf(type, { [field]: Array(limit + 1).fill(item) }))).toEqual([
        { path: field, reason: `must contain at most ${limit} items` },
      ]);
    });

    it('holds at most 50 risk signals', () => {
      const data = exampleOf('assurance.authentication.succeeded', { risk: { level: 'high', signals: Array(51).fill('tor') } });
      expect(validateEventData('assurance.authentication.succeeded', data)).toEqual([
        { path: 'risk.signals', reason: 'must contain at most 50 items' },
      ]);
    });

    it('refuses empty identifiers', () => {
      const data = exampleOf('assurance.authenticator.revoked', { authenticatorId: '' });
      expect(validateEventData('assurance.authenticator.revoked', data)).toEqual([
        { path: 'authenticatorId', reason: 'must not be empty' },
      ]);
    });
  });

  describe('failureReason', () => {
    it('is required when an authentication failed', () => {
      const { failureReason: _omitted, ...data } = exampleOf('assurance.authentication.failed');
      expect(validateEventData('assurance.authentication.failed', data)).toEqual([{ path: 'failureReason', reason: 'is required' }]);
    });

    it('is refused when an authentication succeeded', () => {
      const data = exampleOf('assurance.authentication.succeeded', { failureReason: 'none' });
      expect(validateEventData('assurance.authentication.succeeded', data)).toEqual([
        { path: 'failureReason', reason: 'property failureReason should not exist' },
      ]);
    });
  });

  describe('presence and types', () => {
    it('reports a missing field once, not once per rule it would have failed', () => {
      const { reason: _omitted, ...data } = exampleOf('assurance.session.revoked');
      expect(validateEventData('assurance.session.revoked', data)).toEqual([{ path: 'reason', reason: 'is required' }]);
    });

    it('lets the reason of a starting session be absent', () => {
      const { reason: _none, ...data } = exampleOf('assurance.session.started');
      expect(validateEventData('assurance.session.started', data)).toEqual([]);
    });

    it('refuses null for an optional field, because the published schema does not allow it', () => {
      const data = exampleOf('assurance.breakglass.used', { approvedBy: null });
      expect(validateEventData('assurance.breakglass.used', data)).toEqual([{ path: 'approvedBy', reason: 'must be a string' }]);
    });

    it('reports a value of the wrong type once', () => {
      const data = exampleOf('assurance.device.bound', { platform: 42, managed: 'yes' });
      expect(validateEventData('assurance.device.bound', data)).toEqual([
        { path: 'platform', reason: 'must be a string' },
        { path: 'managed', reason: 'must be a boolean' },
      ]);
    });

    it.each([
      [0, 'must be at least 1'],
      [4, 'must be at most 3'],
      [2.5, 'must be an integer'],
      ['2', 'must be an integer'],
    ])('refuses ial %j', (ial, reason) => {
      expect(validateEventData('assurance.identity.proofed', exampleOf('assurance.identity.proofed', { ial }))).toEqual([
        { path: 'ial', reason },
      ]);
    });

    it('refuses list items and nested values that are not objects', () => {
      const data = exampleOf('assurance.stepup.completed', { methods: [{ kind: 'totp', amr: [] }, 'totp', null] });
      expect(validateEventData('assurance.stepup.completed', data)).toEqual([
        { path: 'methods[1]', reason: 'must be an object' },
        { path: 'methods[2]', reason: 'must be an object' },
      ]);
      const risky = exampleOf('assurance.authentication.succeeded', { risk: [] });
      expect(validateEventData('assurance.authentication.succeeded', risky)).toEqual([{ path: 'risk', reason: 'must be an object' }]);
    });

    it.each(['198.51.100.7', '2001:db8::1', '::ffff:192.0.2.1'])('accepts the IP address %s', (ipAddress) => {
      const data = exampleOf('assurance.authentication.failed', { ipAddress });
      expect(validateEventData('assurance.authentication.failed', data)).toEqual([]);
    });

    it.each(['198.51.100.700', 'localhost', '2001:db8:::1'])('refuses the IP address %s', (ipAddress) => {
      const data = exampleOf('assurance.authentication.failed', { ipAddress });
      expect(validateEventData('assurance.authentication.failed', data)).toEqual([
        { path: 'ipAddress', reason: 'must be an IPv4 or IPv6 address' },
      ]);
    });

    it.each(['2024-05-01', '2024-05-01 18:00', 'tomorrow', '2026-02-30T10:00:00Z'])('refuses the non-RFC 3339 expiry %s', (expiresAt) => {
      const data = exampleOf('assurance.session.started', { expiresAt });
      expect(validateEventData('assurance.session.started', data)).toEqual([
        { path: 'expiresAt', reason: 'must be an RFC 3339 date-time from 1970 to 9999 (in UTC), e.g. 2026-11-02T09:15:00Z' },
      ]);
    });

    it('refuses an AAGUID that is not in UUID form', () => {
      const data = exampleOf('assurance.authenticator.enrolled', { aaguid: 'yubikey-5' });
      expect(validateEventData('assurance.authenticator.enrolled', data)).toEqual([
        { path: 'aaguid', reason: 'must be an AAGUID in UUID form' },
      ]);
    });
  });

  it.each([
    ['null', null],
    ['an array', [{ deviceId: 'd' }]],
    ['a string', '{"deviceId":"d"}'],
    ['a number', 7],
    ['a non-plain object', new Date()],
  ])('reports %s as data with a single issue at the root', (_label, data) => {
    const issues = validateEventData('assurance.device.bound', data);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('');
    expect(issues[0].reason).toMatch(/^event data must be a JSON object/);
  });

  it('reports an event type outside the catalog instead of throwing', () => {
    expect(validateEventData('assurance.device.lost' as EventType, {})).toEqual([
      { path: '', reason: expect.stringContaining('unknown event type "assurance.device.lost"') },
    ]);
  });
});
