import { ExportableEvent } from './exportable-event';
import { OcsfMapper, OcsfRecord } from './ocsf';
import { toCloudEventLine } from './cloud-event-line';

const REQUIRED_BASE = ['category_uid', 'class_uid', 'activity_id', 'type_uid', 'severity_id', 'time', 'metadata', 'user'];

function stored(revision: number, type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): ExportableEvent {
  return {
    streamId: 'subject-alice',
    revision,
    position: 100 + revision,
    type,
    data,
    metadata: {
      source: 'https://idp.example.com',
      cloudEventId: `evt-${revision}`,
      subject: 'alice',
      time: '2026-03-02T08:00:00Z',
      recordedAt: '2026-03-02T08:00:01Z',
      correlationId: 'flow-1',
      causationId: 'req-1',
      hash: `${revision}`.repeat(64).slice(0, 64),
      prevHash: '0'.repeat(64),
      ...extra,
    },
  };
}

const syncedPasskeyLogin = stored(1, 'assurance.authentication.succeeded', {
  channel: 'web',
  applicationId: 'payroll',
  methods: [{ kind: 'passkey-synced', amr: ['swk', 'user'] }],
  ipAddress: '192.0.2.10',
  sessionId: 's-1',
});
const violationVerdict = stored(
  2,
  'assurance.authentication.evaluated',
  {
    authentication: { revision: 1, id: 'evt-1', source: 'https://idp.example.com', time: '2026-03-02T08:00:00Z' },
    applicationId: 'payroll',
    channel: 'web',
    requiredAal: 3,
    achievedAal: 2,
    phishingResistant: true,
    amr: ['swk', 'user'],
    acr: ['phr', 'nist-aal2'],
    verdict: 'violation',
    reasons: [{ rule: 'application-tier', detail: 'payroll requires AAL3' }],
    policyVersion: 2,
    decisionPath: [
      { rule: 'channel-default', detail: 'web requires AAL2' },
      { rule: 'application-tier', detail: 'payroll requires AAL3' },
    ],
  },
  { source: 'assurance-ledger' },
);

function mapAll(events: ExportableEvent[], options = { productVersion: '0.1.0' }): OcsfRecord[] {
  const mapper = new OcsfMapper(options);
  return [...events.flatMap((event) => mapper.push(event)), ...mapper.flush()];
}

describe('OCSF export mapping', () => {
  it('maps an authentication to class 3002 with its verdict, policy version and decision path in unmapped', () => {
    const [record] = mapAll([syncedPasskeyLogin, violationVerdict]);
    for (const attribute of REQUIRED_BASE) expect(record).toHaveProperty(attribute);
    expect(record).toMatchObject({
      class_uid: 3002,
      category_uid: 3,
      activity_id: 1,
      type_uid: 300201,
      status_id: 1,
      severity_id: 3,
      time: Date.parse('2026-03-02T08:00:00Z'),
      is_mfa: true,
      auth_factors: [{ factor_type_id: 10, factor_type: 'WebAuthn' }],
      user: { uid: 'alice' },
      service: { name: 'payroll' },
      src_endpoint: { ip: '192.0.2.10' },
      session: { uid: 's-1' },
      metadata: { version: '1.3.0', product: { name: 'Assurance Ledger' }, uid: 'evt-1' },
      unmapped: {
        aal: 2,
        required_aal: 3,
        verdict: 'violation',
        policy_version: 2,
        acr: ['phr', 'nist-aal2'],
        decision_path: violationVerdict.data.decisionPath,
        ledger: { stream: 'subject-alice', revision: 1, position: 101 },
      },
    });
  });

  it('maps an excepted verdict at severity Low, naming the exception: below policy, but governed', () => {
    const exception = { exceptionId: 'exc-1', expiresAt: '2026-03-31T00:00:00.000Z' };
    const excepted = { ...violationVerdict, data: { ...violationVerdict.data, verdict: 'excepted', exception } };
    const [record] = mapAll([syncedPasskeyLogin, excepted]);
    expect(record).toMatchObject({ severity_id: 2, severity: 'Low', unmapped: { verdict: 'excepted', exception } });
  });

  it('emits one record per authentication, verdict or not, and a failure as status 2', () => {
    const smsFailure = stored(3, 'assurance.authentication.failed', {
      channel: 'vpn',
      applicationId: 'legacy-vpn',
      methods: [{ kind: 'sms', amr: ['sms'] }],
      failureReason: 'code-expired',
    });
    const records = mapAll([syncedPasskeyLogin, violationVerdict, smsFailure]);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ status_id: 2, status_detail: 'code-expired', auth_factors: [{ factor_type_id: 1 }] });
    // No verdict on a failure: whether two factors were present is not known, so is_mfa is left out.
    expect(records[1]).not.toHaveProperty('is_mfa');
    expect(records[1]).toMatchObject({ logon_type_id: 3, logon_type: 'Network', auth_protocol_id: 0 });
  });

  it('maps enrollment and revocation to Account Change activities 10 and 11', () => {
    const records = mapAll([
      stored(0, 'assurance.authenticator.enrolled', {
        authenticatorId: 'k1',
        kind: 'security-key',
        phishingResistant: true,
        hardwareBound: true,
        syncable: false,
        userVerification: true,
      }),
      stored(4, 'assurance.authenticator.revoked', { authenticatorId: 'k1', reason: 'lost' }),
    ]);
    expect(records.map((record) => [record.class_uid, record.activity_id, record.type_uid])).toEqual([
      [3001, 10, 300110],
      [3001, 11, 300111],
    ]);
    for (const record of records) for (const attribute of REQUIRED_BASE) expect(record).toHaveProperty(attribute);
  });

  it('leaves types without an OCSF class to the JSONL export', () => {
    expect(
      mapAll([
        stored(5, 'assurance.fallback.used', {
          applicationId: 'a',
          channel: 'web',
          intendedMethod: 'passkey-synced',
          usedMethod: 'sms',
          reason: 'lost phone',
        }),
      ]),
    ).toEqual([]);
  });

  it('pseudonymises IP addresses when asked', () => {
    const [record] = mapAll([syncedPasskeyLogin], {
      productVersion: '0.1.0',
      pseudonymiseIp: (ip: string) => `anon-${ip.length}`,
    } as never);
    // OCSF src_endpoint.ip is an IP address type; a pseudonym goes to the string uid.
    expect(record.src_endpoint).toEqual({ uid: 'anon-10' });
  });
});

describe('JSONL export line', () => {
  it('is the CloudEvent as received, with the ledger place as extension attributes', () => {
    const line = toCloudEventLine(
      stored(0, 'assurance.authenticator.revoked', { authenticatorId: 'k1', reason: 'lost' }, { extensions: { traceparent: '00-abc' } }),
    );
    expect(line).toEqual({
      specversion: '1.0',
      id: 'evt-0',
      source: 'https://idp.example.com',
      type: 'assurance.authenticator.revoked',
      subject: 'alice',
      time: '2026-03-02T08:00:00Z',
      datacontenttype: 'application/json',
      traceparent: '00-abc',
      correlationid: 'flow-1',
      causationid: 'req-1',
      ledgerstream: 'subject-alice',
      ledgerrevision: 0,
      ledgerposition: 100,
      ledgerrecordedat: '2026-03-02T08:00:01Z',
      ledgerhash: '0'.repeat(64),
      ledgerprevhash: '0'.repeat(64),
      data: { authenticatorId: 'k1', reason: 'lost' },
    });
  });
});
