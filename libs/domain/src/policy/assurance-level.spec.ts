import {
  AchievedAssuranceLevel,
  AuthenticatorKind,
  AuthenticatorRecord,
  deriveAssurance,
  highestAvailableAal,
  MethodUsed,
} from '@ledger/domain';

type Properties = Pick<AuthenticatorRecord, 'phishingResistant' | 'hardwareBound' | 'syncable' | 'userVerification'>;

/** Enrollment properties as a real authenticator of each kind reports them. */
const TYPICAL: Record<AuthenticatorKind, Properties> = {
  'passkey-synced': { phishingResistant: true, hardwareBound: false, syncable: true, userVerification: true },
  'passkey-device-bound': { phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
  'security-key': { phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
  'platform-authenticator': { phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
  'smart-card': { phishingResistant: true, hardwareBound: true, syncable: false, userVerification: true },
  push: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  'push-number-match': { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: true },
  totp: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  sms: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  voice: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  'email-otp': { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  password: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  'recovery-code': { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
  'temporary-access-pass': { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false },
};

interface Enrolled {
  id: string;
  kind: AuthenticatorKind;
  properties?: Partial<Properties>;
  status?: 'active' | 'revoked';
}

const enrolled = (kind: AuthenticatorKind, properties: Partial<Properties> = {}, id: string = kind): Enrolled => ({ id, kind, properties });

function recordsOf(authenticators: Enrolled[]): Record<string, AuthenticatorRecord> {
  return Object.fromEntries(
    authenticators.map(({ id, kind, properties, status = 'active' }) => [
      id,
      { authenticatorId: id, kind, ...TYPICAL[kind], ...properties, status, enrolledAt: '2026-01-01T00:00:00Z' },
    ]),
  );
}

interface Expected {
  aal: AchievedAssuranceLevel;
  phishingResistant?: boolean;
  rule?: string;
  amr?: string[];
  acr?: string[];
}

/** Given the subject enrolled these, when an authentication presents those methods, then this assurance. */
function given(authenticators: Enrolled[]) {
  return {
    when(methods: Array<Pick<MethodUsed, 'kind' | 'authenticatorId'>>) {
      return {
        then(expected: Expected) {
          const derived = deriveAssurance(
            methods.map((method) => ({ ...method, amr: [] })),
            recordsOf(authenticators),
          );
          expect(derived.achievedAal).toBe(expected.aal);
          if (expected.phishingResistant !== undefined) expect(derived.phishingResistant).toBe(expected.phishingResistant);
          if (expected.rule) expect(derived.rule).toBe(expected.rule);
          if (expected.amr) expect(derived.amr).toEqual(expected.amr);
          if (expected.acr) expect(derived.acr).toEqual(expected.acr);
          return derived;
        },
      };
    },
  };
}

const using = (...kinds: AuthenticatorKind[]) => kinds.map((kind) => ({ kind, authenticatorId: kind }));

describe('AAL from authenticators (SP 800-63B-4)', () => {
  describe('each kind alone, as typically enrolled', () => {
    const table: Array<[AuthenticatorKind, Expected]> = [
      [
        'passkey-device-bound',
        {
          aal: 3,
          phishingResistant: true,
          rule: 'aal3-multi-factor-cryptographic-device',
          amr: ['hwk', 'mfa', 'user'],
          acr: ['phrh', 'nist-aal3'],
        },
      ],
      ['security-key', { aal: 3, phishingResistant: true, rule: 'aal3-multi-factor-cryptographic-device', acr: ['phrh', 'nist-aal3'] }],
      ['platform-authenticator', { aal: 3, phishingResistant: true, rule: 'aal3-multi-factor-cryptographic-device' }],
      ['smart-card', { aal: 3, phishingResistant: true, amr: ['hwk', 'mfa', 'pin', 'sc', 'user'], acr: ['phrh', 'nist-aal3'] }],
      [
        'passkey-synced',
        {
          aal: 2,
          phishingResistant: true,
          rule: 'aal2-multi-factor-exportable-cryptographic',
          amr: ['mfa', 'swk', 'user'],
          acr: ['phr', 'nist-aal2'],
        },
      ],
      ['push-number-match', { aal: 2, phishingResistant: false, rule: 'aal2-push-number-matching', acr: ['nist-aal2'] }],
      // SP 800-63B-4 §3.1.3: an approve-only push does not meet the out-of-band requirements, so it counts for nothing.
      ['push', { aal: 0, phishingResistant: false, rule: 'aal0-no-counted-method', amr: [], acr: [] }],
      ['totp', { aal: 1, phishingResistant: false, amr: ['otp'] }],
      ['sms', { aal: 1, phishingResistant: false, amr: ['sms'] }],
      ['voice', { aal: 1, phishingResistant: false, amr: ['tel'] }],
      // SP 800-63B-4 §3.1.3.1: e-mail SHALL NOT be used for out-of-band authentication.
      ['email-otp', { aal: 0, phishingResistant: false, amr: [] }],
      ['password', { aal: 1, phishingResistant: false, amr: ['pwd'] }],
      ['recovery-code', { aal: 1, phishingResistant: false }],
      ['temporary-access-pass', { aal: 1, phishingResistant: false }],
    ];
    it.each(table)('given an enrolled %s, when it is used alone, then %o', (kind, expected) => {
      given([enrolled(kind)])
        .when(using(kind))
        .then(expected);
    });
  });

  describe('properties recorded at enrollment', () => {
    it.each<[string, Enrolled, Expected]>([
      [
        'a security key without user verification is a single-factor device',
        enrolled('security-key', { userVerification: false }),
        { aal: 1, phishingResistant: true, amr: ['hwk'] },
      ],
      [
        'a device-bound passkey without user verification is a single-factor device',
        enrolled('passkey-device-bound', { userVerification: false }),
        { aal: 1 },
      ],
      [
        'a smart card without PIN is a single-factor device',
        enrolled('smart-card', { userVerification: false }),
        { aal: 1, amr: ['hwk', 'sc'] },
      ],
      [
        'a synced passkey is exportable: AAL2 at most even if marked hardware-bound',
        enrolled('passkey-synced', { hardwareBound: true }),
        { aal: 2 },
      ],
      [
        'a synced passkey without user verification is a single factor',
        enrolled('passkey-synced', { userVerification: false }),
        { aal: 1, phishingResistant: true },
      ],
      [
        'a platform authenticator that syncs is exportable',
        enrolled('platform-authenticator', { syncable: true }),
        { aal: 2, acr: ['phr', 'nist-aal2'] },
      ],
      [
        'a key enrolled as not phishing resistant does not reach AAL3',
        enrolled('security-key', { phishingResistant: false }),
        { aal: 2, phishingResistant: false, acr: ['nist-aal2'] },
      ],
      [
        'push is never phishing resistant, whatever the enrollment says',
        enrolled('push-number-match', { phishingResistant: true }),
        { aal: 2, phishingResistant: false },
      ],
      [
        'an OTP is never phishing resistant, whatever the enrollment says',
        enrolled('totp', { phishingResistant: true, hardwareBound: true }),
        { aal: 1, phishingResistant: false },
      ],
    ])('%s', (_, authenticator, expected) => {
      given([authenticator])
        .when([{ kind: authenticator.kind, authenticatorId: authenticator.id }])
        .then(expected);
    });
  });

  describe('combinations', () => {
    it.each<[string, Enrolled[], AuthenticatorKind[], Expected]>([
      [
        'single-factor crypto device + password reaches AAL3',
        [enrolled('security-key', { userVerification: false }), enrolled('password')],
        ['security-key', 'password'],
        { aal: 3, rule: 'aal3-single-factor-cryptographic-device-plus-password', amr: ['hwk', 'mfa', 'pwd'], acr: ['phrh', 'nist-aal3'] },
      ],
      [
        'smart card without PIN + password reaches AAL3',
        [enrolled('smart-card', { userVerification: false }), enrolled('password')],
        ['smart-card', 'password'],
        { aal: 3 },
      ],
      [
        'synced passkey + password stays AAL2: exportable',
        [enrolled('passkey-synced'), enrolled('password')],
        ['passkey-synced', 'password'],
        { aal: 2 },
      ],
      [
        'synced passkey without UV + password is AAL2',
        [enrolled('passkey-synced', { userVerification: false }), enrolled('password')],
        ['passkey-synced', 'password'],
        { aal: 2, rule: 'aal2-password-plus-possession-factor' },
      ],
      [
        'password + OTP (TOTP) is AAL2',
        [enrolled('password'), enrolled('totp')],
        ['password', 'totp'],
        { aal: 2, rule: 'aal2-one-time-code-plus-password', amr: ['mfa', 'otp', 'pwd'], acr: ['nist-aal2'] },
      ],
      [
        'password + SMS is AAL2',
        [enrolled('password'), enrolled('sms')],
        ['password', 'sms'],
        { aal: 2, rule: 'aal2-password-plus-possession-factor', amr: ['mfa', 'pwd', 'sms'] },
      ],
      [
        'password + voice is AAL2',
        [enrolled('password'), enrolled('voice')],
        ['password', 'voice'],
        { aal: 2, amr: ['mfa', 'pwd', 'tel'] },
      ],
      [
        'password + approve-only push stays AAL1: the push is no out-of-band authenticator (SP 800-63B-4 §3.1.3)',
        [enrolled('password'), enrolled('push')],
        ['password', 'push'],
        { aal: 1, phishingResistant: false, amr: ['pwd'] },
      ],
      ['password + recovery code is AAL2', [enrolled('password'), enrolled('recovery-code')], ['password', 'recovery-code'], { aal: 2 }],
      [
        'password + e-mail code stays AAL1: e-mail is no out-of-band channel',
        [enrolled('password'), enrolled('email-otp')],
        ['password', 'email-otp'],
        { aal: 1 },
      ],
      [
        'password + temporary access pass stays AAL1',
        [enrolled('password'), enrolled('temporary-access-pass')],
        ['password', 'temporary-access-pass'],
        { aal: 1 },
      ],
      ['TOTP + SMS stays AAL1: two possession factors', [enrolled('totp'), enrolled('sms')], ['totp', 'sms'], { aal: 1 }],
      ['two passwords stay AAL1', [enrolled('password'), enrolled('password', {}, 'second-password')], ['password'], { aal: 1 }],
      [
        'adding a weak method to an AAL3 key keeps AAL3',
        [enrolled('security-key'), enrolled('sms')],
        ['security-key', 'sms'],
        { aal: 3, phishingResistant: true },
      ],
    ])('%s', (_, authenticators, kinds, expected) => {
      given(authenticators)
        .when(using(...kinds))
        .then(expected);
    });
  });

  describe('methods that do not count', () => {
    it('given nothing enrolled, when a method names an authenticator id, then it does not count and says why', () => {
      const derived = given([])
        .when([{ kind: 'security-key', authenticatorId: 'ghost' }])
        .then({ aal: 0, rule: 'aal0-no-counted-method', acr: [] });
      expect(derived.discounted).toEqual([expect.objectContaining({ index: 0, reason: 'authenticator-not-enrolled' })]);
    });

    it('given a revoked key, when it is used, then it does not count', () => {
      const derived = given([{ ...enrolled('security-key'), status: 'revoked' }])
        .when(using('security-key'))
        .then({ aal: 0 });
      expect(derived.discounted[0].reason).toBe('authenticator-revoked');
    });

    it('given a revoked key and an active password, when both are used, then only the password counts', () => {
      given([{ ...enrolled('security-key', { userVerification: false }), status: 'revoked' }, enrolled('password')])
        .when(using('security-key', 'password'))
        .then({ aal: 1, amr: ['pwd'] });
    });

    it('given a TOTP enrollment, when a method claims it is a security key, then it does not count', () => {
      const derived = given([enrolled('totp', {}, 'x')])
        .when([{ kind: 'security-key', authenticatorId: 'x' }])
        .then({ aal: 0 });
      expect(derived.discounted[0].reason).toBe('authenticator-kind-mismatch');
    });

    it('given nothing enrolled, when a cryptographic method names no authenticator, then it counts only as a single-factor software key', () => {
      given([])
        .when([{ kind: 'passkey-device-bound' }])
        .then({ aal: 1, phishingResistant: false, amr: ['swk'] });
    });

    it('given nothing enrolled, when a password and an OTP name no authenticator, then they count by kind', () => {
      given([])
        .when([{ kind: 'password' }, { kind: 'totp' }])
        .then({ aal: 2 });
    });

    it('does not mistake an inherited object member for an enrolled authenticator', () => {
      given([])
        .when([{ kind: 'password', authenticatorId: 'constructor' }])
        .then({ aal: 0 });
    });
  });
});

describe('assurance rules version 2: the clauses of SP 800-63B-4 and RFC 8176', () => {
  it.each<[string, Enrolled[], AuthenticatorKind[], Expected]>([
    [
      '§2.3.2: a hardware key that is not phishing resistant, with a password, is not AAL3',
      [enrolled('security-key', { userVerification: false, phishingResistant: false }), enrolled('password')],
      ['security-key', 'password'],
      { aal: 2, phishingResistant: false, rule: 'aal2-password-plus-possession-factor', amr: ['hwk', 'mfa', 'pwd'], acr: ['nist-aal2'] },
    ],
    [
      '§3.1.3.1 and RFC 8176 §2: number matching without activation, alone, is one factor: no mfa',
      [enrolled('push-number-match', { userVerification: false })],
      ['push-number-match'],
      { aal: 1, rule: 'aal1-single-factor', amr: ['mca', 'user'], acr: ['nist-aal1'] },
    ],
    [
      '§3.1.3.4: number matching activated by user verification is multi-factor out-of-band',
      [enrolled('push-number-match')],
      ['push-number-match'],
      { aal: 2, rule: 'aal2-push-number-matching', amr: ['mca', 'mfa', 'user'] },
    ],
    [
      '§2.2.1: number matching without activation, with a password, is AAL2',
      [enrolled('push-number-match', { userVerification: false }), enrolled('password')],
      ['push-number-match', 'password'],
      { aal: 2, rule: 'aal2-password-plus-possession-factor' },
    ],
    [
      'Appendix B: a synced passkey flagged hardware-bound and not syncable is still AAL2 at most',
      [enrolled('passkey-synced', { hardwareBound: true, syncable: false })],
      ['passkey-synced'],
      { aal: 2, amr: ['mfa', 'swk', 'user'], acr: ['phr', 'nist-aal2'] },
    ],
    [
      '§3.1.5: TOTP activated by user verification is a multi-factor OTP: AAL2 alone',
      [enrolled('totp', { userVerification: true })],
      ['totp'],
      { aal: 2, rule: 'aal2-multi-factor-one-time-code', amr: ['mfa', 'otp'], acr: ['nist-aal2'] },
    ],
    [
      '§3.1.3.1: an e-mail code with a password stays AAL1',
      [enrolled('email-otp'), enrolled('password')],
      ['email-otp', 'password'],
      { aal: 1, amr: ['pwd'] },
    ],
    [
      'acr: a key without user verification, alone, is AAL1 and names neither phr nor phrh',
      [enrolled('security-key', { userVerification: false })],
      ['security-key'],
      { aal: 1, phishingResistant: true, acr: ['nist-aal1'] },
    ],
  ])('%s', (_, authenticators, kinds, expected) => {
    given(authenticators)
      .when(using(...kinds))
      .then(expected);
  });

  it('§3.2.9: a level that rests on SMS is restricted, and says why', () => {
    const derived = given([enrolled('password'), enrolled('sms')])
      .when(using('password', 'sms'))
      .then({ aal: 2 });
    expect(derived.restriction).toEqual({ kinds: ['sms'], reason: expect.stringContaining('§3.2.9') });
  });

  it('§3.2.9: voice alone is restricted at AAL1', () => {
    expect(
      given([enrolled('voice')])
        .when(using('voice'))
        .then({ aal: 1 }).restriction?.kinds,
    ).toEqual(['voice']);
  });

  it('§3.2.9: SMS next to an AAL3 key changes nothing, so the level is not restricted', () => {
    expect(
      given([enrolled('security-key'), enrolled('sms')])
        .when(using('security-key', 'sms'))
        .then({ aal: 3 }).restriction,
    ).toBeUndefined();
  });

  it('§3.1.3: an approve-only push is discounted with the clause as its reason', () => {
    const derived = given([enrolled('push')])
      .when(using('push'))
      .then({ aal: 0 });
    expect(derived.discounted).toEqual([
      expect.objectContaining({ reason: 'approve-only-push-not-out-of-band', detail: expect.stringContaining('§3.1.3') }),
    ]);
  });
});

describe('highest available AAL of the active authenticators', () => {
  const records = (...authenticators: Enrolled[]) => Object.values(recordsOf(authenticators));

  it.each<[string, number, Enrolled[]]>([
    ['nothing enrolled', 0, []],
    ['only a synced passkey', 2, [enrolled('passkey-synced')]],
    ['a synced passkey and a security key', 3, [enrolled('passkey-synced'), enrolled('security-key')]],
    ['a security key without UV, alone', 1, [enrolled('security-key', { userVerification: false })]],
    [
      'a security key without UV and a password, combined',
      3,
      [enrolled('security-key', { userVerification: false }), enrolled('password')],
    ],
    ['a password and TOTP, combined', 2, [enrolled('password'), enrolled('totp')]],
    ['only SMS', 1, [enrolled('sms')]],
    ['a revoked security key and SMS', 1, [{ ...enrolled('security-key'), status: 'revoked' }, enrolled('sms')]],
  ])('given %s, then AAL%d', (_, expected, authenticators) => {
    expect(highestAvailableAal(records(...authenticators))).toBe(expected);
  });
});
