import { randomUUID } from 'node:crypto';

export type CloudEventBody = Record<string, unknown> & {
  id: string;
  source: string;
  subject: string;
  type: string;
  data: Record<string, unknown>;
};

export function enrolledEvent(subject: string, overrides: Partial<CloudEventBody> = {}): CloudEventBody {
  const authenticatorId = `key-${randomUUID()}`;
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type: 'assurance.authenticator.enrolled',
    subject,
    time: '2026-11-02T09:15:00Z',
    datacontenttype: 'application/json',
    data: {
      authenticatorId,
      kind: 'security-key',
      phishingResistant: true,
      hardwareBound: true,
      syncable: false,
      userVerification: true,
      aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
    },
    ...overrides,
  };
}

export function authenticationSucceeded(subject: string, overrides: Partial<CloudEventBody> = {}): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://vpn.example.com',
    type: 'assurance.authentication.succeeded',
    subject,
    time: '2026-11-02T09:20:00Z',
    data: {
      channel: 'vpn',
      applicationId: 'corp-vpn',
      methods: [{ kind: 'security-key', amr: ['hwk', 'pin'] }],
      ipAddress: '192.0.2.10',
      risk: { level: 'low', signals: [] },
    },
    ...overrides,
  };
}

/** An event the ledger records without writing anything of its own next to it. */
export function sessionStarted(subject: string, overrides: Partial<CloudEventBody> = {}): CloudEventBody {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'https://idp.example.com',
    type: 'assurance.session.started',
    subject,
    time: '2026-11-02T09:21:00Z',
    data: { sessionId: `s-${randomUUID()}`, channel: 'web', applicationId: 'intranet' },
    ...overrides,
  };
}
