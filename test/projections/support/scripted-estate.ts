import { randomUUID } from 'node:crypto';
import { chainEvents, EventStore, expectedRevisionAfter, RecordedEvent } from '@ledger/event-store';
import type { CloudEventBody } from '../../support/cloud-events';

/**
 * A deterministic estate of subjects with mixed enrollments, authentications,
 * fallbacks, recoveries, sessions and break-glass uses. While it generates the
 * events it keeps its own, deliberately simple record of what each read model
 * must then show, so the tests compare against values computed here and not
 * by the projection code.
 */

export const APPLICATIONS = {
  'hr-portal': 'web',
  'vpn-gw': 'vpn',
  'crm-saas': 'saas',
  'legacy-erp': 'web',
} as const;
export type ApplicationId = keyof typeof APPLICATIONS;
/** Users learned to bypass this one: most sign-ins there fall back to a password. */
export const LEAKY_APPLICATION: ApplicationId = 'legacy-erp';

const KINDS = {
  'security-key': { phishingResistant: true, hardwareBound: true, syncable: false, amr: ['hwk', 'pin'] },
  'passkey-synced': { phishingResistant: true, hardwareBound: false, syncable: true, amr: ['swk', 'user'] },
  'passkey-device-bound': { phishingResistant: true, hardwareBound: true, syncable: false, amr: ['hwk', 'user'] },
  'push-number-match': { phishingResistant: false, hardwareBound: false, syncable: false, amr: ['mca'] },
  totp: { phishingResistant: false, hardwareBound: false, syncable: false, amr: ['otp'] },
  sms: { phishingResistant: false, hardwareBound: false, syncable: false, amr: ['sms'] },
  password: { phishingResistant: false, hardwareBound: false, syncable: false, amr: ['pwd'] },
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];
const PASSWORD_OR_OTP: Kind[] = ['password', 'totp', 'sms'];
const RECOVERY_METHODS = [
  'recovery-code',
  'help-desk',
  're-proofing',
  'temporary-access-pass',
  'recovery-contact',
  'password-reset',
] as const;

export interface ExpectedAuthenticator {
  authenticatorId: string;
  kind: Kind;
  status: 'active' | 'revoked';
  enrolledAt: string;
  revokedAt: string | null;
  /** Sent as `userNotified: true`; otherwise the field is left out, which records no notification. */
  userNotified: boolean;
}

export interface ExpectedAuthentication {
  channel: string;
  applicationId: string;
  outcome: 'succeeded' | 'failed';
  at: string;
  /** Filled in once the event is recorded. */
  revision?: number;
}

export interface ExpectedSubject {
  subjectId: string;
  proofing: { ial: number; proofedBy: string } | null;
  authenticators: ExpectedAuthenticator[];
  boundDevices: Record<string, boolean>;
  authentications: ExpectedAuthentication[];
  /** Not ended and expiring after the test runs. */
  liveSessions: string[];
  fallbacks: Array<{ applicationId: string; at: string }>;
  recoveries: Array<{ phase: 'initiated' | 'completed' | 'failed'; method: string; at: string }>;
  breakglassUses: number;
  /** The subject's events in order; a segment ends after each successful authentication, where a verdict may follow. */
  segments: CloudEventBody[][];
}

/** Small LCG: the estate must be the same on every run and on both stores. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

const at = (day: number, hour: number, minute = 0) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;

function cloudEvent(
  subject: string,
  type: string,
  time: string,
  data: Record<string, unknown>,
  source = 'https://idp.example.com',
): CloudEventBody {
  return { specversion: '1.0', id: randomUUID(), source, type: `assurance.${type}`, subject, time, data };
}

export function scriptEstate(tag: string, subjects: number): ExpectedSubject[] {
  return Array.from({ length: subjects }, (_, i) => scriptSubject(`${tag}-${String(i).padStart(4, '0')}`, i + 1));
}

function scriptSubject(subjectId: string, seed: number): ExpectedSubject {
  const rng = random(seed * 7919);
  const subject: ExpectedSubject = {
    subjectId,
    proofing: null,
    authenticators: [],
    boundDevices: {},
    authentications: [],
    liveSessions: [],
    fallbacks: [],
    recoveries: [],
    breakglassUses: 0,
    segments: [[]],
  };
  const emit = (event: CloudEventBody) => subject.segments[subject.segments.length - 1].push(event);

  if (rng.chance(0.6)) {
    subject.proofing = { ial: rng.int(1, 3), proofedBy: `idv-vendor-${rng.int(1, 3)}` };
    emit(
      cloudEvent(subjectId, 'identity.proofed', at(1, 8), {
        ial: subject.proofing.ial,
        method: 'remote',
        evidence: ['passport'],
        proofedBy: subject.proofing.proofedBy,
      }),
    );
  }
  const enrollments = rng.int(1, 3);
  for (let k = 0; k < enrollments; k++) {
    const kind = rng.pick(KIND_NAMES);
    const authenticatorId = `${subjectId}-a${k}`;
    const enrolledAt = at(1, 9 + k);
    const { amr: _amr, ...properties } = KINDS[kind];
    // Not drawn from the generator, so that adding it left the rest of the estate as it was.
    const userNotified = (seed + k) % 3 !== 0;
    emit(
      cloudEvent(subjectId, 'authenticator.enrolled', enrolledAt, {
        authenticatorId,
        kind,
        ...properties,
        userVerification: true,
        ...(userNotified && { userNotified }),
      }),
    );
    subject.authenticators.push({ authenticatorId, kind, status: 'active', enrolledAt, revokedAt: null, userNotified });
  }
  if (rng.chance(0.25)) {
    const revoked = subject.authenticators[0];
    revoked.status = 'revoked';
    revoked.revokedAt = at(2, 10);
    emit(
      cloudEvent(subjectId, 'authenticator.revoked', revoked.revokedAt, {
        authenticatorId: revoked.authenticatorId,
        reason: 'reported lost',
      }),
    );
  }
  if (rng.chance(0.5)) {
    const deviceId = `${subjectId}-laptop`;
    let compliant = rng.chance(0.7);
    emit(cloudEvent(subjectId, 'device.bound', at(2, 11), { deviceId, platform: 'macos', managed: true, compliant }));
    if (rng.chance(0.3)) {
      compliant = !compliant;
      emit(cloudEvent(subjectId, 'device.compliance-changed', at(2, 12), { deviceId, platform: 'macos', managed: true, compliant }));
    }
    subject.boundDevices[deviceId] = compliant;
  }
  const active = subject.authenticators.filter((a) => a.status === 'active');
  const authentications = rng.int(1, 4);
  for (let j = 0; j < authentications; j++) {
    const applicationId = rng.chance(0.3) ? LEAKY_APPLICATION : rng.pick(Object.keys(APPLICATIONS) as ApplicationId[]);
    const channel = APPLICATIONS[applicationId];
    const time = at(3 + j * 3, rng.int(8, 18), rng.int(0, 59));
    const kind = active.length > 0 ? rng.pick(active).kind : 'password';
    const leaky = applicationId === LEAKY_APPLICATION;
    if (rng.chance(leaky ? 0.7 : 0.05)) {
      emit(
        cloudEvent(subjectId, 'fallback.used', time, {
          applicationId,
          channel,
          intendedMethod: 'passkey-synced',
          usedMethod: 'password',
          reason: 'passkey prompt not offered',
        }),
      );
      subject.fallbacks.push({ applicationId, at: time });
    }
    const outcome = rng.chance(0.9) ? 'succeeded' : 'failed';
    const data: Record<string, unknown> = { channel, applicationId, methods: [{ kind, amr: [...KINDS[kind].amr] }] };
    if (outcome === 'failed') data.failureReason = 'user cancelled';
    emit(cloudEvent(subjectId, `authentication.${outcome}`, time, data, `https://${applicationId}.example.com`));
    subject.authentications.push({ channel, applicationId, outcome, at: time });
    if (outcome === 'succeeded') subject.segments.push([]);
  }
  if (rng.chance(0.25)) {
    const method = rng.pick(RECOVERY_METHODS);
    const phase = rng.chance(0.8) ? 'completed' : 'failed';
    const data = { method, verifiedBy: 'agent-7', ticketId: `INC-${seed}`, userNotified: true };
    emit(cloudEvent(subjectId, 'recovery.initiated', at(16, 9), data));
    emit(cloudEvent(subjectId, `recovery.${phase}`, at(16, 10), data));
    subject.recoveries.push({ phase: 'initiated', method, at: at(16, 9) }, { phase, method, at: at(16, 10) });
  }
  if (rng.chance(0.4)) {
    const sessionId = `${subjectId}-s1`;
    const expired = rng.chance(0.3);
    const channel = 'web';
    emit(
      cloudEvent(subjectId, 'session.started', at(17, 9), {
        sessionId,
        channel,
        applicationId: 'hr-portal',
        expiresAt: expired ? at(17, 17) : '2099-01-01T00:00:00.000Z',
      }),
    );
    if (!expired && rng.chance(0.3)) {
      emit(cloudEvent(subjectId, 'session.ended', at(17, 12), { sessionId, channel, applicationId: 'hr-portal', reason: 'signed out' }));
    } else if (!expired) {
      subject.liveSessions.push(sessionId);
    }
  }
  if (rng.chance(0.04)) {
    emit(cloudEvent(subjectId, 'breakglass.used', at(18, 3), { accountId: 'emergency-admin', reason: 'IdP outage' }));
    subject.breakglassUses++;
  }
  subject.segments = subject.segments.filter((segment) => segment.length > 0);
  return subject;
}

export function isPasswordless(subject: ExpectedSubject): boolean {
  const active = subject.authenticators.filter((a) => a.status === 'active');
  return active.length > 0 && active.every((a) => !PASSWORD_OR_OTP.includes(a.kind));
}

export function isPhishingResistantCapable(subject: ExpectedSubject): boolean {
  return subject.authenticators.some((a) => a.status === 'active' && KINDS[a.kind].phishingResistant);
}

/** Achieved AAL the test's stand-in policy grants a method kind; only used when no real verdict was written. */
const STAND_IN_AAL: Record<string, 0 | 1 | 2 | 3> = {
  'security-key': 3,
  'passkey-device-bound': 3,
  'passkey-synced': 2,
  'push-number-match': 2,
  totp: 1,
  sms: 1,
  password: 1,
};

/**
 * Appends a verdict right after a successful authentication through the
 * event-store port, as the policy would, unless the ledger already wrote one.
 */
export async function ensureVerdict(store: EventStore, subjectId: string, authentication: RecordedEvent): Promise<void> {
  const stream = `subject-${subjectId}`;
  const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
  if (last.type === 'assurance.authentication.evaluated') return;
  if (last.revision !== authentication.revision) throw new Error(`unexpected event after the authentication in ${stream}`);
  const data = authentication.data as { applicationId: string; channel: string; methods: Array<{ kind: string; amr: string[] }> };
  const achievedAal = STAND_IN_AAL[data.methods[0].kind] ?? 0;
  const requiredAal = data.applicationId === 'vpn-gw' || data.applicationId === LEAKY_APPLICATION ? 2 : 1;
  const violation = achievedAal < requiredAal;
  const time = String(authentication.metadata.time);
  const evaluated = {
    id: randomUUID(),
    type: 'assurance.authentication.evaluated',
    data: {
      authentication: {
        revision: authentication.revision,
        id: String(authentication.metadata.cloudEventId),
        source: String(authentication.metadata.source),
        time,
      },
      applicationId: data.applicationId,
      channel: data.channel,
      requiredAal,
      achievedAal,
      phishingResistant: achievedAal === 3,
      amr: data.methods[0].amr,
      acr: [],
      verdict: violation ? 'violation' : 'compliant',
      reasons: violation ? [{ rule: 'required-aal', detail: `AAL${achievedAal} is below AAL${requiredAal}` }] : [],
      policyVersion: 1,
      decisionPath: [],
    },
    metadata: {
      schemaVersion: 1,
      source: 'assurance-ledger',
      cloudEventId: `${randomUUID()}#verdict`,
      subject: subjectId,
      time,
      recordedAt: new Date().toISOString(),
    },
  };
  const tail = { revision: last.revision, lastHash: String(last.metadata.hash) };
  await store.append(stream, chainEvents(stream, tail, [evaluated]), expectedRevisionAfter(tail));
}
