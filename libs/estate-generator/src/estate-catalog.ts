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

/** Where subjects manage their own authenticators: they sign in here just before they bind another one. */
export const SELF_SERVICE_APPLICATION_ID = 'intranet-portal';

/*
 * Fallback rates of an organisation that has rolled passkeys out: one sign-in in a few hundred
 * misses its passkey (a new device, a push that never arrived). Only the legacy application,
 * which few people use, falls back on most sign-ins.
 */
export const ESTATE_APPLICATIONS: readonly EstateApplication[] = [
  { applicationId: SELF_SERVICE_APPLICATION_ID, channel: 'web', traffic: 18, source: 'https://idp.example.com', fallbackRate: 0.004 },
  { applicationId: 'payroll', channel: 'web', traffic: 6, source: 'https://idp.example.com', fallbackRate: 0.004 },
  {
    applicationId: LEAKY_LEGACY_APPLICATION_ID,
    channel: 'web',
    traffic: 1.5,
    source: 'https://legacy-sso.example.com',
    fallbackRate: 0.65,
  },
  { applicationId: 'corp-vpn', channel: 'vpn', traffic: 16, source: 'https://vpn.example.com', fallbackRate: 0.006 },
  { applicationId: 'crm-saas', channel: 'saas', traffic: 14, source: 'https://saas-connector.example.com', fallbackRate: 0.005 },
  { applicationId: 'office-suite', channel: 'saas', traffic: 20, source: 'https://saas-connector.example.com', fallbackRate: 0.004 },
  { applicationId: 'code-hosting', channel: 'saas', traffic: 8, source: 'https://saas-connector.example.com', fallbackRate: 0.004 },
  {
    applicationId: 'prod-bastion',
    channel: 'privileged',
    traffic: 6,
    source: 'https://pam.example.com',
    fallbackRate: 0.002,
    adminsOnly: true,
  },
  { applicationId: 'deploy-api', channel: 'api', traffic: 5, source: 'https://api-gateway.example.com', fallbackRate: 0.002 },
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

/**
 * Share of the workforce per persona: most people were onboarded with a passkey; a few still
 * carry a password beside it, and a handful were never migrated off password and SMS.
 */
export const PERSONA_MIX: ReadonlyArray<readonly [Persona, number]> = [
  ['passwordless', 78],
  ['mixed', 12],
  ['legacy', 4],
  ['administrator', 6],
];

/**
 * What each persona may enroll on day one, in the order it enrolls, with the chance that it does.
 * The first is bound by the identity proofing, so it is certain for every persona; the others
 * follow a sign-in with it, except for legacy subjects (see `SubjectHistory.onboard`).
 */
export const INITIAL_ENROLLMENTS: Record<Persona, ReadonlyArray<readonly [AuthenticatorKind, number]>> = {
  passwordless: [
    ['passkey-synced', 1],
    ['passkey-device-bound', 0.4],
    ['push-number-match', 0.6],
    ['totp', 0.2],
  ],
  mixed: [
    ['passkey-synced', 1],
    ['push-number-match', 0.5],
    ['totp', 0.5],
    ['sms', 0.3],
    ['password', 1],
  ],
  legacy: [
    ['password', 1],
    ['sms', 1],
    ['totp', 0.3],
    ['push', 0.3],
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
