import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICY } from '@ledger/domain';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

/*
 * Verdicts and decisions checked against the texts they implement, through the
 * API end to end: SP 800-63B-4 (final), RFC 8176 (amr), RFC 9470 (step-up) and
 * the OCSF Authentication class. Every case names the clause it follows; the
 * rule table in docs/policy.md lists the same clauses.
 */

const BATCH = 'application/cloudevents-batch+json';

interface Flags {
  phishingResistant: boolean;
  hardwareBound: boolean;
  syncable: boolean;
  userVerification: boolean;
}
const flags = (phishingResistant: boolean, hardwareBound: boolean, syncable: boolean, userVerification: boolean): Flags => ({
  phishingResistant,
  hardwareBound,
  syncable,
  userVerification,
});
/** Device-bound, non-exportable, phishing resistant, with user verification. */
const DEVICE = flags(true, true, false, true);
/** The same key without user verification: a single-factor cryptographic device. */
const DEVICE_NO_UV = flags(true, true, false, false);
/** A hardware key enrolled as not phishing resistant. */
const NOT_PHISHING_RESISTANT = flags(false, true, false, false);
const NOT_PHISHING_RESISTANT_UV = flags(false, true, false, true);
const SYNCED = flags(true, false, true, true);
const SYNCED_NO_UV = flags(true, false, true, false);
const PLAIN = flags(false, false, false, false);
const WITH_UV = flags(false, false, false, true);

type Kind = string;
/** One enrolled authenticator; its id is its kind, unless two of a kind are enrolled. */
type Enrolled = [Kind, Flags] | [Kind, Flags, string];

interface Expected {
  aal: 0 | 1 | 2 | 3;
  amr?: string[];
  acr?: string[];
  phishingResistant?: boolean;
  restricted?: boolean;
}

interface Case {
  clause: string;
  enrolled: Enrolled[];
  /** Methods presented: an enrolled id, or `{ kind }` for a method that names no authenticator. */
  methods: Array<string | { kind: Kind }>;
  expected: Expected;
}

const CASES: Case[] = [
  // Multi-factor cryptographic authenticators (§3.1.7) that meet AAL3 (§2.3.1, §2.3.2).
  {
    clause: 'SP 800-63B-4 §2.3.1, §3.1.7: a device-bound passkey with user verification is AAL3',
    enrolled: [['passkey-device-bound', DEVICE]],
    methods: ['passkey-device-bound'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'user'], acr: ['phrh', 'nist-aal3'], phishingResistant: true },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1, §3.1.7: a security key with user verification is AAL3',
    enrolled: [['security-key', DEVICE]],
    methods: ['security-key'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'user'], acr: ['phrh', 'nist-aal3'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1, §3.1.7: a non-exportable platform authenticator with user verification is AAL3',
    enrolled: [['platform-authenticator', DEVICE]],
    methods: ['platform-authenticator'],
    expected: { aal: 3, acr: ['phrh', 'nist-aal3'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1, §3.1.7 and RFC 8176 §2 (sc, pin): a smart card with PIN is AAL3',
    enrolled: [['smart-card', DEVICE]],
    methods: ['smart-card'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'pin', 'sc', 'user'], acr: ['phrh', 'nist-aal3'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1: a security key with user verification and a password is AAL3',
    enrolled: [
      ['security-key', DEVICE],
      ['password', PLAIN],
    ],
    methods: ['security-key', 'password'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'pwd', 'user'] },
  },
  // Single-factor cryptographic authenticators (§3.1.6).
  {
    clause: 'SP 800-63B-4 §2.1.1, §3.1.6: a security key without user verification, alone, is AAL1; acr names no phrh',
    enrolled: [['security-key', DEVICE_NO_UV]],
    methods: ['security-key'],
    expected: { aal: 1, amr: ['hwk'], acr: ['nist-aal1'], phishingResistant: true },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1: a single-factor cryptographic device with a password is AAL3',
    enrolled: [
      ['security-key', DEVICE_NO_UV],
      ['password', PLAIN],
    ],
    methods: ['security-key', 'password'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'pwd'], acr: ['phrh', 'nist-aal3'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1 and RFC 8176 §2 (sc): a smart card without PIN and a password is AAL3',
    enrolled: [
      ['smart-card', DEVICE_NO_UV],
      ['password', PLAIN],
    ],
    methods: ['smart-card', 'password'],
    expected: { aal: 3, amr: ['hwk', 'mfa', 'pwd', 'sc'] },
  },
  {
    clause: 'RFC 8176 §2 (hwk, sc): a smart card without PIN, alone, is AAL1 with no pin and no mfa',
    enrolled: [['smart-card', DEVICE_NO_UV]],
    methods: ['smart-card'],
    expected: { aal: 1, amr: ['hwk', 'sc'] },
  },
  // Row 1: AAL3 SHALL be phishing resistant.
  {
    clause: 'SP 800-63B-4 §2.3.2: a hardware key that is not phishing resistant, with a password, is AAL2, not AAL3',
    enrolled: [
      ['security-key', NOT_PHISHING_RESISTANT],
      ['password', PLAIN],
    ],
    methods: ['security-key', 'password'],
    expected: { aal: 2, amr: ['hwk', 'mfa', 'pwd'], acr: ['nist-aal2'], phishingResistant: false },
  },
  {
    clause: 'SP 800-63B-4 §2.3.2: a multi-factor hardware key that is not phishing resistant is AAL2',
    enrolled: [['security-key', NOT_PHISHING_RESISTANT_UV]],
    methods: ['security-key'],
    expected: { aal: 2, acr: ['nist-aal2'], phishingResistant: false },
  },
  {
    clause: 'SP 800-63B-4 §2.3.2: a smart card without PIN that is not phishing resistant, with a password, is AAL2',
    enrolled: [
      ['smart-card', NOT_PHISHING_RESISTANT],
      ['password', PLAIN],
    ],
    methods: ['smart-card', 'password'],
    expected: { aal: 2 },
  },
  {
    clause: 'SP 800-63B-4 §2.3.2: a platform authenticator that is not phishing resistant, with a password, is AAL2',
    enrolled: [
      ['platform-authenticator', NOT_PHISHING_RESISTANT_UV],
      ['password', PLAIN],
    ],
    methods: ['platform-authenticator', 'password'],
    expected: { aal: 2, phishingResistant: false },
  },
  // Syncable authenticators (Appendix B, §3.2.13): exportable, AAL2 at most.
  {
    clause: 'SP 800-63B-4 Appendix B: a synced passkey with user verification is AAL2, phishing resistant',
    enrolled: [['passkey-synced', SYNCED]],
    methods: ['passkey-synced'],
    expected: { aal: 2, amr: ['mfa', 'swk', 'user'], acr: ['phr', 'nist-aal2'], phishingResistant: true },
  },
  {
    clause: 'SP 800-63B-4 Appendix B: a synced passkey with a password stays AAL2',
    enrolled: [
      ['passkey-synced', SYNCED],
      ['password', PLAIN],
    ],
    methods: ['passkey-synced', 'password'],
    expected: { aal: 2, acr: ['phr', 'nist-aal2'] },
  },
  {
    clause: 'SP 800-63B-4 Appendix B, §3.1.6: a synced passkey without user verification, alone, is AAL1',
    enrolled: [['passkey-synced', SYNCED_NO_UV]],
    methods: ['passkey-synced'],
    expected: { aal: 1, amr: ['swk'], acr: ['nist-aal1'], phishingResistant: true },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: a synced passkey without user verification and a password is AAL2',
    enrolled: [
      ['passkey-synced', SYNCED_NO_UV],
      ['password', PLAIN],
    ],
    methods: ['passkey-synced', 'password'],
    expected: { aal: 2, amr: ['mfa', 'pwd', 'swk'], acr: ['phr', 'nist-aal2'] },
  },
  {
    clause: 'SP 800-63B-4 §3.2.13: a platform authenticator that syncs is exportable: AAL2',
    enrolled: [['platform-authenticator', flags(true, false, true, true)]],
    methods: ['platform-authenticator'],
    expected: { aal: 2, amr: ['mfa', 'swk', 'user'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1: a synced passkey and a key without user verification, no password, stay AAL2',
    enrolled: [
      ['passkey-synced', SYNCED],
      ['security-key', DEVICE_NO_UV],
    ],
    methods: ['passkey-synced', 'security-key'],
    expected: { aal: 2 },
  },
  // Out-of-band (§3.1.3).
  {
    clause: 'SP 800-63B-4 §3.1.3: an approve-only push with a password stays AAL1: the push is no out-of-band authenticator',
    enrolled: [
      ['push', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['push', 'password'],
    expected: { aal: 1, amr: ['pwd'], acr: ['nist-aal1'] },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3: an approve-only push alone reaches no AAL',
    enrolled: [['push', PLAIN]],
    methods: ['push'],
    expected: { aal: 0, amr: [], acr: [] },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3: an approve-only push with user verification is still approve-only',
    enrolled: [
      ['push', WITH_UV],
      ['password', PLAIN],
    ],
    methods: ['push', 'password'],
    expected: { aal: 1 },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3.4: number matching activated by user verification is multi-factor out-of-band: AAL2',
    enrolled: [['push-number-match', WITH_UV]],
    methods: ['push-number-match'],
    expected: { aal: 2, amr: ['mca', 'mfa', 'user'], acr: ['nist-aal2'] },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3.1 and RFC 8176 §2: number matching without user verification is one factor: AAL1, no mfa',
    enrolled: [['push-number-match', PLAIN]],
    methods: ['push-number-match'],
    expected: { aal: 1, amr: ['mca', 'user'], acr: ['nist-aal1'] },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: number matching without user verification and a password is AAL2',
    enrolled: [
      ['push-number-match', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['push-number-match', 'password'],
    expected: { aal: 2, amr: ['mca', 'mfa', 'pwd', 'user'] },
  },
  {
    clause: 'SP 800-63B-4 §2.3.1: multi-factor out-of-band and a password never reach AAL3',
    enrolled: [
      ['push-number-match', WITH_UV],
      ['password', PLAIN],
    ],
    methods: ['push-number-match', 'password'],
    expected: { aal: 2 },
  },
  // PSTN: restricted authenticators (§3.1.3.3, §3.2.9).
  {
    clause: 'SP 800-63B-4 §3.1.3.3, §3.2.9: SMS alone is AAL1 and restricted',
    enrolled: [['sms', PLAIN]],
    methods: ['sms'],
    expected: { aal: 1, amr: ['sms'], restricted: true },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1, §3.2.9: SMS with a password is AAL2 and restricted',
    enrolled: [
      ['sms', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['sms', 'password'],
    expected: { aal: 2, amr: ['mfa', 'pwd', 'sms'], acr: ['nist-aal2'], restricted: true },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1, §3.2.9: voice with a password is AAL2 and restricted',
    enrolled: [
      ['voice', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['voice', 'password'],
    expected: { aal: 2, amr: ['mfa', 'pwd', 'tel'], restricted: true },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3.3, §3.2.9: voice alone is AAL1 and restricted',
    enrolled: [['voice', PLAIN]],
    methods: ['voice'],
    expected: { aal: 1, amr: ['tel'], restricted: true },
  },
  {
    clause: 'SP 800-63B-4 §3.2.9: SMS next to an AAL3 key changes nothing, so the verdict is not restricted',
    enrolled: [
      ['security-key', DEVICE],
      ['sms', PLAIN],
    ],
    methods: ['security-key', 'sms'],
    expected: { aal: 3, restricted: false },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1, §3.2.9: TOTP and SMS are two possession factors: AAL1, not resting on SMS',
    enrolled: [
      ['totp', PLAIN],
      ['sms', PLAIN],
    ],
    methods: ['totp', 'sms'],
    expected: { aal: 1, amr: ['otp', 'sms'], restricted: false },
  },
  // E-mail (§3.1.3.1).
  {
    clause: 'SP 800-63B-4 §3.1.3.1: e-mail SHALL NOT be used for out-of-band authentication: an e-mail code alone reaches no AAL',
    enrolled: [['email-otp', PLAIN]],
    methods: ['email-otp'],
    expected: { aal: 0, amr: [], acr: [] },
  },
  {
    clause: 'SP 800-63B-4 §3.1.3.1: an e-mail code with a password stays AAL1',
    enrolled: [
      ['email-otp', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['email-otp', 'password'],
    expected: { aal: 1, amr: ['pwd'] },
  },
  // OTP (§3.1.4, §3.1.5) and look-up secrets (§3.1.2).
  {
    clause: 'SP 800-63B-4 §3.1.4: single-factor TOTP alone is AAL1',
    enrolled: [['totp', PLAIN]],
    methods: ['totp'],
    expected: { aal: 1, amr: ['otp'], acr: ['nist-aal1'] },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1, §3.1.5: TOTP activated by user verification is a multi-factor OTP: AAL2 alone',
    enrolled: [['totp', WITH_UV]],
    methods: ['totp'],
    expected: { aal: 2, amr: ['mfa', 'otp'], acr: ['nist-aal2'] },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: a password and single-factor TOTP are AAL2',
    enrolled: [
      ['totp', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['totp', 'password'],
    expected: { aal: 2, amr: ['mfa', 'otp', 'pwd'] },
  },
  {
    clause: 'SP 800-63B-4 §3.1.2: a recovery code (look-up secret) alone is AAL1',
    enrolled: [['recovery-code', PLAIN]],
    methods: ['recovery-code'],
    expected: { aal: 1, amr: ['otp'] },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: a password and a recovery code (look-up secret) are AAL2',
    enrolled: [
      ['recovery-code', PLAIN],
      ['password', PLAIN],
    ],
    methods: ['recovery-code', 'password'],
    expected: { aal: 2 },
  },
  // Passwords (§3.1.1).
  {
    clause: 'SP 800-63B-4 §2.1.1, §3.1.1: a password alone is AAL1',
    enrolled: [['password', PLAIN]],
    methods: ['password'],
    expected: { aal: 1, amr: ['pwd'], acr: ['nist-aal1'], phishingResistant: false },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: two passwords are one factor twice: AAL1',
    enrolled: [
      ['password', PLAIN],
      ['password', PLAIN, 'second-password'],
    ],
    methods: ['password', 'second-password'],
    expected: { aal: 1, amr: ['pwd'] },
  },
  // Methods that name no enrolled authenticator prove nothing about hardware or activation.
  {
    clause: 'SP 800-63B-4 §3.1.6: a key that names no enrolled authenticator counts as a single-factor software key',
    enrolled: [],
    methods: [{ kind: 'passkey-device-bound' }],
    expected: { aal: 1, amr: ['swk'], phishingResistant: false },
  },
  {
    clause: 'SP 800-63B-4 §2.2.1: a password and TOTP naming no authenticator are judged by kind: AAL2',
    enrolled: [],
    methods: [{ kind: 'password' }, { kind: 'totp' }],
    expected: { aal: 2, amr: ['mfa', 'otp', 'pwd'] },
  },
];

describe('verdicts that follow SP 800-63B-4, RFC 8176 and RFC 9470 (e2e)', () => {
  let ledger: RunningLedger;

  beforeAll(async () => {
    ledger = await startLedger({ LEDGER_PSEUDONYMISATION_KEY: 'test-only-key' });
  });

  afterAll(async () => {
    await ledger.stop();
  });

  const send = async (method: string, path: string, body: unknown) => {
    const response = await fetch(ledger.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...ledger.auth() },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const event = (subject: string, type: string, data: Record<string, unknown>, time = new Date().toISOString()) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type,
    subject,
    time,
    data,
  });
  const enrollment = (subject: string, authenticatorId: string, kind: string, properties: Flags) =>
    event(subject, 'assurance.authenticator.enrolled', { authenticatorId, kind, ...properties });
  const storedEvents = async (subject: string): Promise<any[]> =>
    (await ledger.get(`/v1/subjects/${subject}/events?limit=1000`)).body.events;
  const verdictOf = async (subject: string) => {
    const verdicts = (await storedEvents(subject)).filter((stored) => stored.type === 'assurance.authentication.evaluated');
    expect(verdicts).toHaveLength(1);
    return verdicts[0].data;
  };

  it('holds at least 40 cases, each naming its clause', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const { clause } of CASES) expect(clause).toMatch(/SP 800-63B-4 (§\d|Appendix)|RFC (8176|9470) §\d/);
    expect(new Set(CASES.map(({ clause }) => clause)).size).toBe(CASES.length);
  });

  it.each(CASES.map((testCase) => [testCase.clause, testCase] as const))('%s', async (_, { enrolled, methods, expected }) => {
    const subject = `standards-${randomUUID()}`;
    const kindOf = new Map(enrolled.map(([kind, , id]) => [id ?? kind, kind]));
    const login = event(subject, 'assurance.authentication.succeeded', {
      channel: 'web',
      applicationId: 'wiki',
      methods: methods.map((method) =>
        typeof method === 'string' ? { kind: kindOf.get(method), authenticatorId: method, amr: [] } : { kind: method.kind, amr: [] },
      ),
    });
    const posted = await ledger.post(
      [...enrolled.map(([kind, properties, id]) => enrollment(subject, id ?? kind, kind, properties)), login],
      BATCH,
    );
    expect(posted.status).toBe(201);

    const verdict = await verdictOf(subject);
    expect(verdict.achievedAal).toBe(expected.aal);
    expect(verdict.assuranceRulesVersion).toBe(2);
    if (expected.amr) expect(verdict.amr).toEqual(expected.amr);
    if (expected.acr) expect(verdict.acr).toEqual(expected.acr);
    if (expected.phishingResistant !== undefined) expect(verdict.phishingResistant).toBe(expected.phishingResistant);
    // RFC 8176 §2: `mfa` only when two factors were present, which is what AAL2 and AAL3 require (SP 800-63B-4 §2.2.1, §2.3.1).
    expect(verdict.amr.includes('mfa')).toBe(expected.aal >= 2);
    // A value never says more than it holds: phrh only at AAL3, phr only at AAL2 or higher.
    if (verdict.acr.includes('phrh')) expect(expected.aal).toBe(3);
    if (verdict.acr.includes('phr')) expect(expected.aal).toBeGreaterThanOrEqual(2);
    expect(verdict.restricted).toBe(expected.restricted ?? false);
    if (verdict.restricted) {
      expect(verdict.restrictedReason).toMatch(/§3\.2\.9/);
      expect(verdict.decisionPath).toContainEqual({ rule: 'restricted-authenticator', detail: verdict.restrictedReason });
    } else expect(verdict).not.toHaveProperty('restrictedReason');
  });

  describe('enrollment whose kind contradicts its flags (SP 800-63B-4 Appendix B, §3.2.5, §3.2.13)', () => {
    it.each([
      [
        'Appendix B: passkey-synced claiming hardware-bound and not syncable',
        'passkey-synced',
        flags(true, true, false, true),
        ['data.hardwareBound', 'data.syncable'],
      ],
      ['§3.2.13: passkey-device-bound claiming to sync', 'passkey-device-bound', flags(true, true, true, true), ['data.syncable']],
      ['§3.2.5: SMS claiming phishing resistance', 'sms', flags(true, false, false, false), ['data.phishingResistant']],
      ['§3.2.5: voice claiming phishing resistance', 'voice', flags(true, false, false, false), ['data.phishingResistant']],
      ['§3.2.5: e-mail claiming phishing resistance', 'email-otp', flags(true, false, false, false), ['data.phishingResistant']],
      ['§3.2.5: push claiming phishing resistance', 'push-number-match', flags(true, false, false, true), ['data.phishingResistant']],
    ])('refuses %s with 400 naming the fields, and records nothing', async (_, kind, properties, fields) => {
      const subject = `contradiction-${randomUUID()}`;
      const refused = await ledger.post(enrollment(subject, 'a1', kind, properties));
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.errors.map((issue: any) => issue.field)).toEqual(fields);
      for (const issue of refused.body.errors) expect(issue.reason).toMatch(/SP 800-63B-4/);
      expect((await storedEvents(subject)) ?? []).toEqual([]);
    });
  });

  describe('step-up decisions (RFC 9470 §3)', () => {
    const decide = (body: Record<string, unknown>) => send('POST', '/v1/decisions', body);

    it('an AAL3 requirement lists only nist-aal3, and an AAL2 one nist-aal3 then nist-aal2, each with the challenge', async () => {
      const subject = `rfc9470-${randomUUID()}`;
      await ledger.post([enrollment(subject, 'yubikey', 'security-key', DEVICE), enrollment(subject, 'pw', 'password', PLAIN)], BATCH);
      const privileged = await decide({ subjectId: subject, channel: 'privileged', applicationId: 'prod-ssh', context: { signals: [] } });
      expect(privileged.body).toMatchObject({ decision: 'step-up', requiredAal: 3, acrValues: ['nist-aal3'], assuranceRulesVersion: 2 });
      expect(privileged.body.wwwAuthenticate).toBe(
        `Bearer error="insufficient_user_authentication", error_description="Authentication at AAL3 is required", acr_values="nist-aal3", max_age=${12 * 3600}`,
      );
      const web = await decide({ subjectId: subject, channel: 'web', applicationId: 'wiki', context: { signals: [] } });
      expect(web.body).toMatchObject({ decision: 'step-up', requiredAal: 2, acrValues: ['nist-aal3', 'nist-aal2'] });
      expect(web.body.wwwAuthenticate).toContain('acr_values="nist-aal3 nist-aal2"');
    });

    it('after 2 hours idle at AAL2, max_age is below the age of the stale authentication, so it forces a new one', async () => {
      const subject = `idle-${randomUUID()}`;
      const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000).toISOString();
      await ledger.post(
        [
          enrollment(subject, 'phone', 'passkey-synced', SYNCED),
          event(
            subject,
            'assurance.authentication.succeeded',
            {
              channel: 'web',
              applicationId: 'wiki',
              sessionId: 's-idle',
              methods: [{ kind: 'passkey-synced', authenticatorId: 'phone', amr: [] }],
            },
            twoHoursAgo,
          ),
          event(subject, 'assurance.session.started', { sessionId: 's-idle', channel: 'web', applicationId: 'wiki' }, twoHoursAgo),
        ],
        BATCH,
      );
      const answer = await decide({
        subjectId: subject,
        channel: 'web',
        applicationId: 'wiki',
        sessionId: 's-idle',
        context: { signals: [] },
      });
      expect(answer.body).toMatchObject({ decision: 'step-up', currentAal: 0, requiredAal: 2 });
      expect(answer.body.reasons.map((reason: any) => reason.rule)).toContain('session-idle-timeout-exceeded');
      const age = (Date.now() - Date.parse(twoHoursAgo)) / 1000;
      expect(answer.body.maxAge).toBeLessThan(age);
      expect(answer.body.maxAge).toBeGreaterThan(2 * 3600 - 120);
      expect(answer.body.wwwAuthenticate).toMatch(
        /^Bearer error="insufficient_user_authentication", error_description="[^"]+", acr_values="nist-aal3 nist-aal2", max_age=\d+$/,
      );
      expect(answer.body.wwwAuthenticate).toContain(`max_age=${answer.body.maxAge}`);
    });
  });

  describe('session limits (SP 800-63B-4 §2.1.3, §2.2.3, §2.3.3)', () => {
    const currentVersion = async (): Promise<number> => (await ledger.get('/v1/policy')).body.version;
    const publish = async (policy: unknown, acknowledgedDeviations?: string[]) =>
      send('PUT', '/v1/policy', {
        expectedVersion: await currentVersion(),
        policy,
        ...(acknowledgedDeviations && { acknowledgedDeviations }),
      });

    it('§2.3.3 SHALL: refuses AAL3 sessions of 366 days with 400 naming the field, even when acknowledged', async () => {
      const before = await currentVersion();
      const year = 366 * 86_400;
      const policy = {
        ...DEFAULT_POLICY,
        sessions: {
          ...DEFAULT_POLICY.sessions,
          aal3: { maxLifetimeSeconds: year, idleTimeoutSeconds: 900 },
          privileged: { maxLifetimeSeconds: year, idleTimeoutSeconds: 900 },
        },
      };
      for (const acknowledged of [undefined, ['sessions.aal3.maxLifetimeSeconds']]) {
        const refused = await publish(policy, acknowledged);
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('invalid-policy');
        expect(refused.body.errors).toContainEqual({
          field: 'policy.sessions.aal3.maxLifetimeSeconds',
          reason: expect.stringMatching(/§2\.3\.3/),
        });
      }
      expect(await currentVersion()).toBe(before);
    });

    it('§2.2.3 SHOULD: AAL2 sessions of 48 h publish only when acknowledged; the event, GET /v1/policy and the evidence report show it', async () => {
      const policy = {
        ...DEFAULT_POLICY,
        sessions: { ...DEFAULT_POLICY.sessions, aal2: { maxLifetimeSeconds: 48 * 3600, idleTimeoutSeconds: 3600 } },
      };
      const unacknowledged = await publish(policy);
      expect(unacknowledged.status).toBe(400);
      expect(unacknowledged.body.errors).toContainEqual({
        field: 'policy.sessions.aal2.maxLifetimeSeconds',
        reason: expect.stringMatching(/§2\.2\.3.*acknowledgedDeviations/),
      });
      const stray = await publish(DEFAULT_POLICY, ['sessions.aal1.maxLifetimeSeconds']);
      expect(stray.status).toBe(400);
      expect(stray.body.errors).toContainEqual({ field: 'acknowledgedDeviations[0]', reason: expect.any(String) });

      const published = await publish(policy, ['sessions.aal2.maxLifetimeSeconds']);
      expect(published.status).toBe(201);
      const view = (await ledger.get('/v1/policy')).body;
      expect(view).toMatchObject({ version: published.body.version, acknowledgedDeviations: ['sessions.aal2.maxLifetimeSeconds'] });
      expect(view.deviations).toEqual([
        {
          field: 'sessions.aal2.maxLifetimeSeconds',
          strength: 'SHOULD',
          clause: 'SP 800-63B-4 §2.2.3',
          limitSeconds: 24 * 3600,
          valueSeconds: 48 * 3600,
        },
      ]);
      const exported = await (await fetch(`${ledger.url}/v1/audit/export?format=jsonl`, { headers: ledger.auth() })).text();
      const publication = exported
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .find((line) => line.type === 'assurance.policy.published' && line.data.version === view.version);
      expect(publication.data.acknowledgedDeviations).toEqual(['sessions.aal2.maxLifetimeSeconds']);
      const evidence = await ledger.get('/v1/audit/evidence');
      expect(evidence.body.policy).toMatchObject({ version: view.version, acknowledgedDeviations: ['sessions.aal2.maxLifetimeSeconds'] });
      expect(evidence.body.policy.deviations).toEqual(view.deviations);

      // Put the built-in limits back for the tests that follow.
      expect((await publish(DEFAULT_POLICY)).status).toBe(201);
    });
  });

  describe('restricted authenticators in the posture (SP 800-63B-4 §3.2.9)', () => {
    it('counts authentications that rest on SMS per application', async () => {
      const subject = `posture-${randomUUID()}`;
      const applicationId = `bank-${randomUUID().slice(0, 8)}`;
      const written = await ledger.post(
        [
          enrollment(subject, 'sms', 'sms', PLAIN),
          enrollment(subject, 'pw', 'password', PLAIN),
          event(subject, 'assurance.authentication.succeeded', {
            channel: 'web',
            applicationId,
            methods: [
              { kind: 'sms', authenticatorId: 'sms', amr: ['sms'] },
              { kind: 'password', authenticatorId: 'pw', amr: ['pwd'] },
            ],
          }),
        ],
        BATCH,
      );
      const position = Math.max(...written.body.results.map((result: { position: number }) => result.position)) + 1;
      const posture = await ledger.get(`/v1/posture?minPosition=${position}`);
      const application = posture.body.applications.find((app: { applicationId: string }) => app.applicationId === applicationId);
      expect(application).toMatchObject({ restricted: 1, restrictedByAal: { '2': 1 } });
      expect(posture.body.estate.restricted).toBeGreaterThanOrEqual(1);
      const audit = await ledger.get(`/v1/audit/authentications?applicationId=${applicationId}&minPosition=${position}`);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          achievedAal: 2,
          assuranceRulesVersion: 2,
          restricted: true,
          restrictedReason: expect.stringMatching(/§3\.2\.9/),
        }),
      ]);
    });
  });

  describe('OCSF export', () => {
    it('puts a pseudonymised IP in src_endpoint.uid, fills logon_type_id and auth_protocol_id, and is_mfa only when it holds', async () => {
      const subject = `ocsf-${randomUUID()}`;
      await ledger.post(
        [
          enrollment(subject, 'push', 'push-number-match', PLAIN),
          event(subject, 'assurance.authentication.succeeded', {
            channel: 'privileged',
            applicationId: 'prod-ssh',
            ipAddress: '198.51.100.7',
            methods: [{ kind: 'push-number-match', authenticatorId: 'push', amr: ['mca', 'mfa', 'user'] }],
          }),
        ],
        BATCH,
      );
      const response = await fetch(`${ledger.url}/v1/audit/export?format=ocsf&pseudonymise=true`, { headers: ledger.auth() });
      const lines = (await response.text())
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      const [login] = lines.filter((line) => line.user.uid === subject && line.class_uid === 3002);
      expect(login.src_endpoint).toEqual({ uid: expect.stringMatching(/^pseudo:[0-9a-f]{32}$/) });
      expect(JSON.stringify(login)).not.toContain('198.51.100.7');
      expect(login).toMatchObject({ logon_type_id: 10, logon_type: 'Remote Interactive', auth_protocol_id: 0 });
      // The emitter claimed mfa; one out-of-band device without activation is one factor (SP 800-63B-4 §3.1.3.1).
      expect(login.is_mfa).toBe(false);
      expect(login.unmapped).toMatchObject({ aal: 1, assurance_rules_version: 2 });
    });
  });
});
