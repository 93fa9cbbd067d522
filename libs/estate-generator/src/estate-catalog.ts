import type { AmrValue, AuthenticatorKind, Channel } from '../../domain/src';

/**
 * The organisation the generator simulates: its applications, the systems that
 * report to the ledger, and how each kind of authenticator looks when enrolled.
 */

export interface EstateApplication {
  applicationId: string;
  channel: Channel;
  /** Relative share of sign-ins that go to this application. */
  traffic: number;
  /** The emitting system, used as the CloudEvents `source`. */
  source: string;
  /** Chance that a sign-in falls back from the subject's strongest method to SMS or TOTP. */
  fallbackRate: number;
  /** Only administrators sign in here. */
  adminsOnly?: boolean;
}

/** The one application that never learned WebAuthn: most of its sign-ins fall back to SMS or TOTP. */
export const LEAKY_LEGACY_APPLICATION_ID = 'legacy-expenses';

export const ESTATE_APPLICATIONS: readonly EstateApplication[] = [
  { applicationId: 'intranet-portal', channel: 'web', traffic: 18, source: 'https://idp.example.com', fallbackRate: 0.02 },
  { applicationId: 'payroll', channel: 'web', traffic: 6, source: 'https://idp.example.com', fallbackRate: 0.02 },
  { applicationId: LEAKY_LEGACY_APPLICATION_ID, channel: 'web', traffic: 7, source: 'https://legacy-sso.example.com', fallbackRate: 0.65 },
  { applicationId: 'corp-vpn', channel: 'vpn', traffic: 16, source: 'https://vpn.example.com', fallbackRate: 0.04 },
  { applicationId: 'crm-saas', channel: 'saas', traffic: 14, source: 'https://saas-connector.example.com', fallbackRate: 0.03 },
  { applicationId: 'office-suite', channel: 'saas', traffic: 20, source: 'https://saas-connector.example.com', fallbackRate: 0.02 },
  { applicationId: 'code-hosting', channel: 'saas', traffic: 8, source: 'https://saas-connector.example.com', fallbackRate: 0.02 },
  {
    applicationId: 'prod-bastion',
    channel: 'privileged',
    traffic: 6,
    source: 'https://pam.example.com',
    fallbackRate: 0.01,
    adminsOnly: true,
  },
  { applicationId: 'deploy-api', channel: 'api', traffic: 5, source: 'https://api-gateway.example.com', fallbackRate: 0.01 },
];

export const IDENTITY_SOURCE = 'https://idp.example.com';
export const HELP_DESK_SOURCE = 'https://helpdesk.example.com';
export const DEVICE_MANAGEMENT_SOURCE = 'https://mdm.example.com';
export const PROOFING_SOURCE = 'https://idv.example.com';

export interface AuthenticatorProfile {
  phishingResistant: boolean;
  hardwareBound: boolean;
  syncable: boolean;
  userVerification: boolean;
  /** Which device the authenticator lives on, if any. */
  livesOn?: 'laptop' | 'phone';
  aaguids?: readonly string[];
  amr: readonly (readonly AmrValue[])[];
}

/** Flags as a relying party sees them at registration; AAGUIDs are real vendor values. */
export const AUTHENTICATOR_PROFILES: Partial<Record<AuthenticatorKind, AuthenticatorProfile>> = {
  'passkey-synced': {
    phishingResistant: true,
    hardwareBound: false,
    syncable: true,
    userVerification: true,
    livesOn: 'phone',
    aaguids: ['fbfc3007-154e-4ecc-8c0b-6e020557d7bd', 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4'],
    amr: [
      ['swk', 'fpt'],
      ['swk', 'face'],
      ['swk', 'pin'],
    ],
  },
  'passkey-device-bound': {
    phishingResistant: true,
    hardwareBound: true,
    syncable: false,
    userVerification: true,
    livesOn: 'laptop',
    aaguids: ['08987058-cadc-4b81-b6e1-30de50dcbe96', 'adce0002-35bc-c60a-648b-0b25f1f05503'],
    amr: [
      ['hwk', 'face'],
      ['hwk', 'pin'],
      ['hwk', 'fpt'],
    ],
  },
  'security-key': {
    phishingResistant: true,
    hardwareBound: true,
    syncable: false,
    userVerification: true,
    aaguids: ['ee882879-721c-4913-9775-3dfcce97072a', 'cb69481e-8ff7-4039-93ec-0a2729a154a8'],
    amr: [['hwk', 'pin']],
  },
  push: { phishingResistant: false, hardwareBound: true, syncable: false, userVerification: false, livesOn: 'phone', amr: [['mca']] },
  'push-number-match': {
    phishingResistant: false,
    hardwareBound: true,
    syncable: false,
    userVerification: true,
    livesOn: 'phone',
    amr: [['mca', 'user']],
  },
  totp: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false, livesOn: 'phone', amr: [['otp']] },
  sms: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false, amr: [['sms']] },
  password: { phishingResistant: false, hardwareBound: false, syncable: false, userVerification: false, amr: [['pwd']] },
};

export type Persona = 'passwordless' | 'mixed' | 'legacy' | 'administrator';

/** Share of the workforce per persona. */
export const PERSONA_MIX: ReadonlyArray<readonly [Persona, number]> = [
  ['passwordless', 35],
  ['mixed', 40],
  ['legacy', 18],
  ['administrator', 7],
];

/** What each persona may enroll on day one, strongest first, with the chance that it does. */
export const INITIAL_ENROLLMENTS: Record<Persona, ReadonlyArray<readonly [AuthenticatorKind, number]>> = {
  passwordless: [
    ['passkey-synced', 1],
    ['passkey-device-bound', 0.5],
    ['push-number-match', 0.7],
    ['totp', 0.3],
  ],
  mixed: [
    ['passkey-synced', 0.6],
    ['push', 0.7],
    ['totp', 0.5],
    ['sms', 0.5],
    ['password', 1],
  ],
  legacy: [
    ['push', 0.3],
    ['totp', 0.4],
    ['sms', 1],
    ['password', 1],
  ],
  administrator: [
    ['security-key', 1],
    ['passkey-device-bound', 0.8],
    ['push-number-match', 1],
    ['totp', 0.5],
  ],
};

/** Preference order when a subject picks a method to sign in with. */
export const METHOD_STRENGTH: readonly AuthenticatorKind[] = [
  'security-key',
  'passkey-device-bound',
  'passkey-synced',
  'push-number-match',
  'push',
  'totp',
  'sms',
  'password',
];
