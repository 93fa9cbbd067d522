import { EventData, EventType } from '../event-catalog';

/**
 * One valid data example per event type. Typed as a complete map, so adding an
 * event type without an example fails to compile.
 */
export const VALID_EVENT_DATA_EXAMPLES: { readonly [T in EventType]: EventData<T> } = {
  'assurance.identity.proofed': {
    ial: 2,
    method: 'remote-document-and-selfie',
    evidence: ['passport', 'liveness-check'],
    proofedBy: 'idv-vendor-onfido',
  },
  'assurance.authenticator.enrolled': {
    authenticatorId: 'cred-7f3a',
    kind: 'passkey-device-bound',
    phishingResistant: true,
    hardwareBound: true,
    syncable: false,
    userVerification: true,
    aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
    deviceId: 'laptop-42',
  },
  'assurance.authenticator.revoked': { authenticatorId: 'cred-7f3a', reason: 'device reported lost' },
  'assurance.device.bound': { deviceId: 'laptop-42', platform: 'macos', managed: true, compliant: true },
  'assurance.device.unbound': { deviceId: 'laptop-42', platform: 'macos', managed: true, compliant: true },
  'assurance.device.compliance-changed': { deviceId: 'laptop-42', platform: 'macos', managed: true, compliant: false },
  'assurance.authentication.succeeded': {
    channel: 'web',
    applicationId: 'payroll',
    methods: [{ kind: 'passkey-device-bound', authenticatorId: 'cred-7f3a', amr: ['hwk', 'user', 'pin'] }],
    sessionId: 'sess-1',
    deviceId: 'laptop-42',
    ipAddress: '2001:db8::1',
    risk: { level: 'low', signals: ['known-device'] },
  },
  'assurance.authentication.failed': {
    channel: 'vpn',
    applicationId: 'corp-vpn',
    methods: [{ kind: 'push-number-match', amr: ['mca'] }],
    ipAddress: '198.51.100.7',
    failureReason: 'push denied by user',
  },
  'assurance.stepup.challenged': {
    applicationId: 'payroll',
    channel: 'web',
    requiredAal: 3,
    reason: 'changing bank details',
    methods: [{ kind: 'security-key', amr: ['hwk', 'pin'] }],
  },
  'assurance.stepup.completed': {
    applicationId: 'payroll',
    channel: 'web',
    requiredAal: 3,
    reason: 'changing bank details',
    methods: [{ kind: 'security-key', authenticatorId: 'key-1', amr: ['hwk', 'pin'] }],
  },
  'assurance.stepup.failed': {
    applicationId: 'payroll',
    channel: 'web',
    requiredAal: 3,
    reason: 'changing bank details',
    methods: [],
  },
  'assurance.fallback.used': {
    applicationId: 'crm',
    channel: 'saas',
    intendedMethod: 'passkey-synced',
    usedMethod: 'totp',
    reason: 'new phone, passkey not yet synced',
    exceptionId: 'exc-2024-17',
  },
  'assurance.recovery.initiated': { method: 'help-desk', verifiedBy: 'agent-12', ticketId: 'INC-991', userNotified: true },
  'assurance.recovery.completed': { method: 'help-desk', verifiedBy: 'agent-12', ticketId: 'INC-991', userNotified: true },
  'assurance.recovery.failed': { method: 're-proofing', verifiedBy: 'idv-vendor-onfido', userNotified: false },
  'assurance.recovery.approved': { recoveryRevision: 4, approvedBy: 'helpdesk-lead-2', ticketId: 'INC-1234' },
  'assurance.breakglass.used': { accountId: 'emergency-admin-1', reason: 'IdP outage', approvedBy: 'ciso' },
  'assurance.session.started': {
    sessionId: 'sess-1',
    channel: 'web',
    applicationId: 'payroll',
    expiresAt: '2024-05-01T18:00:00Z',
  },
  'assurance.session.ended': { sessionId: 'sess-1', channel: 'web', applicationId: 'payroll', reason: 'user signed out' },
  'assurance.session.revoked': { sessionId: 'sess-1', channel: 'web', applicationId: 'payroll', reason: 'authenticator revoked' },
};

/**
 * Enrollment data for tests: a phishing-resistant kind is hardware-bound, anything else is not, and
 * none syncs. Enough for tests about what was enrolled, not about the flags themselves.
 */
export const enrollmentData = (authenticatorId: string, kind: string, phishingResistant: boolean) => ({
  authenticatorId,
  kind,
  phishingResistant,
  hardwareBound: phishingResistant,
  syncable: false,
  userVerification: true,
});
