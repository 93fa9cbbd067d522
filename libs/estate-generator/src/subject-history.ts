import type { AuthenticatorKind, Channel, EventData, EventType, MethodUsed, RecoveryMethod } from '../../domain/src';
import {
  AUTHENTICATOR_PROFILES,
  DEVICE_MANAGEMENT_SOURCE,
  ESTATE_APPLICATIONS,
  EstateApplication,
  HELP_DESK_SOURCE,
  IDENTITY_SOURCE,
  INITIAL_ENROLLMENTS,
  METHOD_STRENGTH,
  Persona,
  PERSONA_MIX,
  PROOFING_SOURCE,
  SELF_SERVICE_APPLICATION_ID,
} from './estate-catalog';
import { SeededRandom } from './seeded-random';

/** A CloudEvents 1.0 structured-mode event, as `POST /v1/events` accepts it. */
export interface EstateCloudEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: EventData<T>;
}

export interface SubjectHistoryOptions {
  seed: number;
  subjectIndex: number;
  subjectId: string;
  /** Inclusive range of sign-ins in the subject's history; every other event follows from them. */
  authentications: { min: number; max: number };
  startMs: number;
  periodMs: number;
  /** This subject uses the break-glass account once. */
  usesBreakglass: boolean;
}

/** The event and its occurrence time in ms, which the estate uses to interleave subjects. */
export interface TimedEvent {
  atMs: number;
  event: EstateCloudEvent;
}

interface Authenticator {
  authenticatorId: string;
  kind: AuthenticatorKind;
  active: boolean;
  deviceId?: string;
}

type DeviceRole = 'laptop' | 'phone';

interface Device {
  deviceId: string;
  role: DeviceRole;
  platform: string;
  managed: boolean;
  compliant: boolean;
  bound: boolean;
}

interface OpenSession {
  sessionId: string;
  channel: Channel;
  applicationId: string;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/** A subject's history holds at most this many open sessions; older ones are signed out first. */
const MAX_OPEN_SESSIONS = 3;

/**
 * One subject's life in the ledger, in the order its systems would report it:
 * proofing, devices, enrollments, then sign-ins with their fallbacks, step-ups
 * and sessions, and now and then an incident (a lost phone, a forgotten
 * password, an upgrade to passkeys). It tracks the lifecycle the ledger's
 * subject decider enforces, so it never revokes what is not active, never
 * re-enrolls an active authenticator and never unbinds an unbound device.
 */
export class SubjectHistory {
  private readonly random: SeededRandom;
  private readonly events: TimedEvent[] = [];
  private readonly authenticators: Authenticator[] = [];
  private readonly devices: Device[] = [];
  private readonly sessions: OpenSession[] = [];
  private readonly persona: Persona;
  private clockMs: number;
  private sequence = 0;
  private authenticatorSequence = 0;
  private deviceSequence = 0;
  private sessionSequence = 0;

  private constructor(private readonly options: SubjectHistoryOptions) {
    this.random = SeededRandom.forSubject(options.seed, options.subjectIndex);
    this.persona = options.usesBreakglass ? 'administrator' : this.random.weighted(PERSONA_MIX);
    this.clockMs = options.startMs + this.random.int(0, Math.floor(options.periodMs / 4));
  }

  static generate(options: SubjectHistoryOptions): TimedEvent[] {
    const history = new SubjectHistory(options);
    history.onboard();
    history.live();
    return history.events;
  }

  /**
   * Proofing binds the first authenticator; the subject then signs in with it and binds the
   * rest in that session, notified of each, as SP 800-63B-4 §4 asks. Legacy subjects were
   * imported from the old directory instead: bound in bulk, unnotified and without a sign-in,
   * which is what the ledger's enrollment governance is there to find.
   */
  private onboard(): void {
    this.proof();
    this.bindDevice('laptop');
    this.bindDevice('phone');
    const [[first], ...others] = INITIAL_ENROLLMENTS[this.persona];
    const imported = this.persona === 'legacy';
    this.enroll(first, { notified: !imported });
    const kinds = others.filter(([, probability]) => this.random.chance(probability)).map(([kind]) => kind);
    if (kinds.length === 0) return;
    if (imported) for (const kind of kinds) this.enroll(kind, { notified: false });
    else this.enrollAfterSigningIn(kinds);
  }

  private live(): void {
    const { min, max } = this.options.authentications;
    const signIns = this.random.int(min, max);
    const remainingMs = this.options.startMs + this.options.periodMs - this.clockMs;
    const meanGapMs = Math.max(SECOND, Math.floor((remainingMs * 0.9) / Math.max(1, signIns)));
    const breakglassAt = this.options.usesBreakglass ? Math.floor(signIns / 2) : -1;
    for (let i = 0; i < signIns; i++) {
      this.advance(this.random.int(Math.floor(meanGapMs / 5), Math.floor((meanGapMs * 9) / 5)));
      this.closeSomeSessions();
      if (i === breakglassAt) this.useBreakglass();
      this.maybeIncident();
      this.signIn();
    }
  }

  private proof(): void {
    const ial =
      this.persona === 'administrator'
        ? 3
        : this.random.weighted([
            [2, 80],
            [1, 20],
          ] as const);
    const [method, evidence]: [string, string[]] =
      ial === 3
        ? ['in-person-supervised', ['passport', 'employment-contract', 'biometric-capture']]
        : ial === 2
          ? ['remote-document-and-selfie', ['national-id-card', 'liveness-check']]
          : ['self-asserted', ['corporate-email']];
    this.emit(PROOFING_SOURCE, 'assurance.identity.proofed', {
      ial,
      method,
      evidence,
      proofedBy: ial === 3 ? 'hr-onboarding-desk' : 'idv-vendor-onfido',
    });
  }

  private bindDevice(role: DeviceRole): Device {
    const device: Device = {
      deviceId: `${this.options.subjectId}-${role}-${++this.deviceSequence}`,
      role,
      platform:
        role === 'laptop'
          ? this.random.weighted([
              ['windows', 55],
              ['macos', 35],
              ['linux', 10],
            ] as const)
          : this.random.pick(['ios', 'android']),
      managed: role === 'laptop' ? this.random.chance(0.95) : this.random.chance(0.4),
      compliant: this.random.chance(0.92),
      bound: true,
    };
    this.devices.push(device);
    this.emit(DEVICE_MANAGEMENT_SOURCE, 'assurance.device.bound', deviceData(device));
    return device;
  }

  /**
   * Binds `kinds` on the self-service portal, each after a sign-in with the strongest method
   * active then (SP 800-63B-4 §4 asks for one at the lower of that and the new authenticator's
   * AAL). One sign-in serves them all unless it was with a password or a code and a key or a
   * number-matching push has been bound since: the subject signs in again with that. With
   * nothing active, as after losing the only phone, the first needs no sign-in.
   */
  private enrollAfterSigningIn(kinds: readonly AuthenticatorKind[]): void {
    const portal = ESTATE_APPLICATIONS.find((application) => application.applicationId === SELF_SERVICE_APPLICATION_ID)!;
    let signedIn: { with: Authenticator; sessionId: string } | undefined;
    for (const kind of kinds) {
      const [strongest] = this.activeAuthenticators();
      if (strongest && (!signedIn || (!standsAlone(signedIn.with.kind) && standsAlone(strongest.kind)))) {
        const session = this.openSession(portal);
        this.emit(portal.source, 'assurance.authentication.succeeded', {
          ...this.authenticationContext(portal, this.signInMethods(strongest), this.currentDevice('laptop'), 'low'),
          sessionId: session.sessionId,
        });
        this.emit(portal.source, 'assurance.session.started', { ...session, expiresAt: new Date(this.clockMs + 8 * HOUR).toISOString() });
        signedIn = { with: strongest, sessionId: session.sessionId };
      }
      this.enroll(kind, { notified: true, sessionId: signedIn?.sessionId });
    }
  }

  private enroll(kind: AuthenticatorKind, { notified, sessionId }: { notified: boolean; sessionId?: string }): Authenticator {
    const profile = AUTHENTICATOR_PROFILES[kind]!;
    const device = profile.livesOn && this.currentDevice(profile.livesOn);
    const authenticator: Authenticator = {
      authenticatorId: `${this.options.subjectId}-${kind}-${++this.authenticatorSequence}`,
      kind,
      active: true,
      ...(device && { deviceId: device.deviceId }),
    };
    this.authenticators.push(authenticator);
    this.emit(IDENTITY_SOURCE, 'assurance.authenticator.enrolled', {
      authenticatorId: authenticator.authenticatorId,
      kind,
      phishingResistant: profile.phishingResistant,
      hardwareBound: profile.hardwareBound,
      syncable: profile.syncable,
      userVerification: profile.userVerification,
      ...(profile.aaguids && { aaguid: this.random.pick(profile.aaguids) }),
      ...(authenticator.deviceId && { deviceId: authenticator.deviceId }),
      ...(sessionId !== undefined && { sessionId }),
      userNotified: notified,
    });
    return authenticator;
  }

  private revoke(authenticator: Authenticator, reason: string): void {
    if (!authenticator.active) return;
    authenticator.active = false;
    this.emit(IDENTITY_SOURCE, 'assurance.authenticator.revoked', { authenticatorId: authenticator.authenticatorId, reason });
  }

  private signIn(): void {
    const application = this.pickApplication();
    const [primary, secondChoice] = this.activeAuthenticators();
    // Now and then another method that stands on its own; codes and SMS are used only when the first choice fails.
    const chosen = secondChoice && standsAlone(secondChoice.kind) && this.random.chance(0.15) ? secondChoice : primary;
    const device = this.currentDevice(
      application.channel === 'vpn' || application.channel === 'privileged' ? 'laptop' : this.random.pick(['laptop', 'phone']),
    );
    let methods = this.signInMethods(chosen);

    const canFallBack = AUTHENTICATOR_PROFILES[chosen.kind]!.phishingResistant || chosen.kind.startsWith('push');
    if (canFallBack && this.random.chance(application.fallbackRate)) {
      methods = this.fallBack(application, chosen);
    }
    if (this.random.chance(0.05)) {
      this.emit(application.source, 'assurance.authentication.failed', {
        ...this.authenticationContext(application, methods, device),
        failureReason: this.random.pick([
          'user cancelled the prompt',
          'wrong PIN',
          'push denied by user',
          'timed out waiting for the user',
        ]),
      });
      this.advance(this.random.int(5, 90) * SECOND);
    }

    const session = this.random.chance(0.6) ? this.openSession(application) : undefined;
    this.emit(application.source, 'assurance.authentication.succeeded', {
      ...this.authenticationContext(application, methods, device),
      ...(session && { sessionId: session.sessionId }),
    });
    if (session) {
      this.emit(application.source, 'assurance.session.started', {
        sessionId: session.sessionId,
        channel: session.channel,
        applicationId: session.applicationId,
        expiresAt: new Date(this.clockMs + 8 * HOUR).toISOString(),
      });
    }
    if (application.channel === 'privileged' || (application.applicationId === 'payroll' && this.random.chance(0.2))) {
      this.stepUp(application);
    }
  }

  /**
   * The backup the identity provider offers: a number-matching push when the passkey is what
   * failed, else a code; a subject with neither enrolled gets a code by SMS to the number on file.
   */
  private fallBack(application: EstateApplication, intended: Authenticator): MethodUsed[] {
    const active = this.activeAuthenticators();
    const backup =
      active.find((candidate) => candidate.kind === 'push-number-match' && candidate !== intended) ??
      active.find((candidate) => candidate.kind === 'sms' || candidate.kind === 'totp');
    const usedMethod: AuthenticatorKind = backup?.kind ?? 'sms';
    this.emit(application.source, 'assurance.fallback.used', {
      applicationId: application.applicationId,
      channel: application.channel,
      intendedMethod: intended.kind,
      usedMethod,
      reason:
        application.fallbackRate > 0.5
          ? 'application does not support WebAuthn'
          : this.random.pick(['passkey not available on this device', 'push notification not delivered']),
      ...(application.fallbackRate > 0.5 && { exceptionId: 'exc-legacy-expenses-2026' }),
    });
    this.advance(this.random.int(2, 20) * SECOND);
    return backup ? this.signInMethods(backup) : [{ kind: 'sms', amr: ['sms'] }];
  }

  private stepUp(application: EstateApplication): void {
    const strong = this.activeAuthenticators().find((candidate) => AUTHENTICATOR_PROFILES[candidate.kind]!.phishingResistant);
    const requiredAal = application.channel === 'privileged' ? 3 : 2;
    const reason = application.channel === 'privileged' ? 'production access' : 'changing bank details';
    const asked: MethodUsed[] = [{ kind: 'security-key', amr: ['hwk', 'pin'] }];
    const common = { applicationId: application.applicationId, channel: application.channel, requiredAal, reason };
    this.advance(this.random.int(1, 30) * SECOND);
    this.emit(application.source, 'assurance.stepup.challenged', { ...common, methods: asked });
    this.advance(this.random.int(3, 40) * SECOND);
    if (strong && this.random.chance(0.95)) {
      this.emit(application.source, 'assurance.stepup.completed', { ...common, methods: this.methodsFor(strong) });
    } else {
      this.emit(application.source, 'assurance.stepup.failed', { ...common, methods: [] });
    }
  }

  private maybeIncident(): void {
    const hasPassword = this.activeAuthenticators().some((candidate) => candidate.kind === 'password');
    const hasPasskey = this.activeAuthenticators().some((candidate) => candidate.kind.startsWith('passkey'));
    if (this.random.chance(0.008)) this.losePhone();
    else if (hasPassword && this.random.chance(0.006)) this.recover('password-reset');
    else if (!hasPasskey && this.persona !== 'administrator' && this.random.chance(0.02)) this.upgradeToPasskey();
    else if (this.random.chance(0.005)) this.changeCompliance();
  }

  private losePhone(): void {
    const phone = this.currentDevice('phone');
    const method: RecoveryMethod = this.random.weighted([
      ['help-desk', 60],
      ['recovery-code', 40],
    ] as const);
    this.recover(method);
    for (const lost of this.activeAuthenticators().filter((candidate) => candidate.deviceId === phone.deviceId)) {
      this.advance(this.random.int(1, 10) * SECOND);
      this.revoke(lost, 'phone reported lost');
    }
    for (const session of this.sessions.splice(0)) {
      this.emit(IDENTITY_SOURCE, 'assurance.session.revoked', { ...session, reason: 'authenticators on a lost device were revoked' });
    }
    phone.bound = false;
    this.emit(DEVICE_MANAGEMENT_SOURCE, 'assurance.device.unbound', deviceData(phone));
    this.advance(this.random.int(1, 48) * HOUR);
    this.bindDevice('phone');
    const replaced = new Set(this.authenticators.filter((candidate) => candidate.deviceId === phone.deviceId).map((lost) => lost.kind));
    if (replaced.size > 0) this.enrollAfterSigningIn([...replaced]);
    if (!this.activeAuthenticators().length) this.enroll('password', { notified: true });
  }

  private recover(method: RecoveryMethod): void {
    const viaHelpDesk = method === 'help-desk';
    const verifiedBy = viaHelpDesk ? `agent-${this.random.int(1, 40)}` : 'self-service';
    const ticket = viaHelpDesk ? { ticketId: `INC-${this.options.subjectIndex}-${this.sequence}` } : {};
    const recovery = { method, verifiedBy, ...ticket, userNotified: true };
    this.emit(HELP_DESK_SOURCE, 'assurance.recovery.initiated', recovery);
    this.advance(this.random.int(2, 60) * 60 * SECOND);
    if (this.random.chance(0.1)) {
      this.emit(HELP_DESK_SOURCE, 'assurance.recovery.failed', { ...recovery, userNotified: false });
      this.advance(this.random.int(10, 120) * 60 * SECOND);
      const retry = {
        method: 'help-desk' as const,
        verifiedBy: `agent-${this.random.int(1, 40)}`,
        ticketId: `INC-${this.options.subjectIndex}-${this.sequence}`,
        userNotified: true,
      };
      this.emit(HELP_DESK_SOURCE, 'assurance.recovery.initiated', retry);
      this.advance(this.random.int(2, 60) * 60 * SECOND);
      this.emit(HELP_DESK_SOURCE, 'assurance.recovery.completed', retry);
      return;
    }
    this.emit(HELP_DESK_SOURCE, 'assurance.recovery.completed', recovery);
  }

  private upgradeToPasskey(): void {
    this.enrollAfterSigningIn(['passkey-synced']);
    const sms = this.activeAuthenticators().find((candidate) => candidate.kind === 'sms');
    if (sms && this.random.chance(0.5)) {
      this.advance(this.random.int(1, 72) * HOUR);
      this.revoke(sms, 'replaced by a passkey');
    }
  }

  private changeCompliance(): void {
    const laptop = this.currentDevice('laptop');
    laptop.compliant = !laptop.compliant;
    this.emit(DEVICE_MANAGEMENT_SOURCE, 'assurance.device.compliance-changed', deviceData(laptop));
  }

  private useBreakglass(): void {
    this.emit(IDENTITY_SOURCE, 'assurance.breakglass.used', {
      accountId: 'emergency-admin-1',
      reason: 'identity provider outage: federation unavailable',
      approvedBy: 'ciso-office',
    });
  }

  private openSession(application: EstateApplication): OpenSession {
    const session = {
      sessionId: `${this.options.subjectId}-session-${++this.sessionSequence}`,
      channel: application.channel,
      applicationId: application.applicationId,
    };
    this.sessions.push(session);
    return session;
  }

  private closeSomeSessions(): void {
    while (this.sessions.length >= MAX_OPEN_SESSIONS || (this.sessions.length > 0 && this.random.chance(0.5))) {
      const session = this.sessions.shift()!;
      const reason = this.random.pick(['user signed out', 'idle timeout', 'session expired']);
      this.emit(IDENTITY_SOURCE, 'assurance.session.ended', { ...session, reason });
    }
  }

  /** Risk is drawn unless given; one sign-in in a few hundred looks like impossible travel, which the policy denies. */
  private authenticationContext(application: EstateApplication, methods: MethodUsed[], device: Device, risk?: 'low') {
    const level =
      risk ??
      this.random.weighted([
        ['low', 90],
        ['medium', 9.6],
        ['high', 0.4],
      ] as const);
    const signals = level === 'low' ? ['known-device'] : level === 'medium' ? ['new-location'] : ['impossible-travel', 'anonymising-proxy'];
    return {
      channel: application.channel,
      applicationId: application.applicationId,
      methods,
      deviceId: device.deviceId,
      ipAddress: this.ipAddress(application.channel),
      risk: { level, signals },
    };
  }

  /** A code, an SMS or an approve-only push is a second factor: the identity provider asks for the password first, if there is one. */
  private signInMethods(authenticator: Authenticator): MethodUsed[] {
    const password = this.activeAuthenticators().find((candidate) => candidate.kind === 'password');
    const secondFactor = authenticator.kind === 'totp' || authenticator.kind === 'sms' || authenticator.kind === 'push';
    return password && secondFactor ? [...this.methodsFor(password), ...this.methodsFor(authenticator)] : this.methodsFor(authenticator);
  }

  private methodsFor(authenticator: Authenticator): MethodUsed[] {
    const amr = [...this.random.pick(AUTHENTICATOR_PROFILES[authenticator.kind]!.amr)];
    return [{ kind: authenticator.kind, authenticatorId: authenticator.authenticatorId, amr }];
  }

  private pickApplication(): EstateApplication {
    const allowed = ESTATE_APPLICATIONS.filter((application) => !application.adminsOnly || this.persona === 'administrator');
    return this.random.weighted(allowed.map((application) => [application, application.traffic] as const));
  }

  private activeAuthenticators(): Authenticator[] {
    return this.authenticators
      .filter((candidate) => candidate.active)
      .sort((a, b) => METHOD_STRENGTH.indexOf(a.kind) - METHOD_STRENGTH.indexOf(b.kind));
  }

  private currentDevice(role: DeviceRole): Device {
    for (let i = this.devices.length - 1; i >= 0; i--) {
      if (this.devices[i].role === role && this.devices[i].bound) return this.devices[i];
    }
    return this.bindDevice(role);
  }

  private ipAddress(channel: Channel): string {
    if (channel === 'vpn' || channel === 'saas') return `198.51.100.${this.random.int(1, 254)}`;
    if (channel === 'api') return `2001:db8::${this.random.int(1, 0xffff).toString(16)}`;
    return `10.${this.random.int(0, 255)}.${this.random.int(0, 255)}.${this.random.int(1, 254)}`;
  }

  private advance(ms: number): void {
    this.clockMs += Math.max(1, ms);
  }

  private emit<T extends EventType>(source: string, type: T, data: EventData<T>): void {
    this.advance(this.random.int(1, 20) * SECOND);
    const event: EstateCloudEvent<T> = {
      specversion: '1.0',
      id: `${this.options.subjectId}.${++this.sequence}`,
      source,
      type,
      subject: this.options.subjectId,
      time: new Date(this.clockMs).toISOString(),
      datacontenttype: 'application/json',
      data,
    };
    this.events.push({ atMs: this.clockMs, event: event as EstateCloudEvent });
  }
}

/** Methods that reach AAL2 alone: phishing-resistant keys and number-matching push. */
function standsAlone(kind: AuthenticatorKind): boolean {
  return AUTHENTICATOR_PROFILES[kind]!.phishingResistant || kind === 'push-number-match';
}

function deviceData({ deviceId, platform, managed, compliant }: Device): EventData<'assurance.device.bound'> {
  return { deviceId, platform, managed, compliant };
}
