/** The one place the console talks to the ledger: every call carries the key the user signed in with. */

const KEY_STORAGE = 'assurance-ledger.api-key';

export type Role = 'emitter' | 'helpdesk' | 'reviewer' | 'auditor' | 'admin';

export interface Principal {
  keyName: string;
  roles: Role[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** The ledger's errors name the field and the reason; show them as they are. */
function describeError(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const problem = body as {
      detail?: unknown;
      message?: unknown;
      title?: unknown;
      errors?: Array<{ field?: string; reason?: string; message?: string }>;
    };
    const fields = Array.isArray(problem.errors)
      ? problem.errors.map((error) => [error.field, error.reason ?? error.message].filter(Boolean).join(': ')).filter(Boolean)
      : [];
    const headline = [problem.detail, problem.message, problem.title].find((value) => typeof value === 'string' && value.length > 0) as
      string | undefined;
    const text = [headline, ...fields].filter(Boolean).join(' — ');
    if (text) return text;
  }
  return `the ledger answered ${status}`;
}

export async function api<T>(path: string, options: { method?: 'GET' | 'POST'; body?: unknown; key?: string } = {}): Promise<T> {
  const key = options.key ?? storedKey();
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(key && { authorization: `Bearer ${key}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) throw new ApiError(response.status, describeError(response.status, body));
  return body as T;
}

/** Path segment for an id that may hold `@`, `:` or `/` (review item ids do). */
export const segment = encodeURIComponent;

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}

/** Who may do what, mirroring the routes' declared roles, so the console offers only what will be allowed. */
export const CAN = {
  searchSubjects: ['helpdesk', 'reviewer', 'auditor'],
  readSubjectEvents: ['helpdesk', 'auditor'],
  readReviews: ['helpdesk', 'reviewer', 'auditor'],
  actOnReviews: ['reviewer', 'admin'],
  readPosture: ['auditor', 'reviewer', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export interface SubjectListing {
  subjectId: string;
  passwordless: boolean;
  phishingResistantCapable: boolean;
  highestAal: number;
  lastEventAt: string;
}

export interface Authenticator {
  authenticatorId: string;
  kind: string;
  status: 'active' | 'revoked';
  phishingResistant: boolean;
  hardwareBound: boolean;
  syncable: boolean;
  userVerification: boolean;
  aaguid: string | null;
  deviceId: string | null;
  enrolledAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

export interface SubjectState {
  subjectId: string;
  stream: string;
  position: number;
  firstEventAt: string;
  lastEventAt: string;
  summary: { passwordless: boolean; phishingResistantCapable: boolean; highestAal: number };
  identityProofing: { ial: number; method: string; evidence: string[]; proofedBy: string; proofedAt: string | null } | null;
  authenticators: Authenticator[];
  devices: Array<{ deviceId: string; platform: string; managed: boolean; compliant: boolean; updatedAt: string | null }>;
  lastAuthentications: Array<{
    channel: string;
    outcome: 'succeeded' | 'failed';
    at: string | null;
    applicationId: string;
    methods: Array<{ kind: string; amr?: string[] }>;
    failureReason: string | null;
    achievedAal: number | null;
    requiredAal: number | null;
    verdict: 'compliant' | 'violation' | 'excepted' | null;
  }>;
  activeSessions: Array<{
    sessionId: string;
    channel: string;
    applicationId: string;
    startedAt: string | null;
    expiresAt: string | null;
    achievedAal: number | null;
    lastActivityAt: string | null;
  }>;
  recentRecoveries: Array<{ phase: string; method: string; verifiedBy: string; at?: string; ticketId?: string }>;
  breakglassUses: number;
  openReviewItems: Array<{ itemId: string; kind: string; occurredAt: string; applicationId: string | null; channel: string | null }>;
  /** Approved, unexpired exceptions that apply to the subject: its own first, then its applications' and channels'. */
  activeExceptions: ExceptionRecord[];
}

export interface SubjectEvent {
  revision: number;
  position: number;
  type: string;
  time: string;
  source: string;
  data: Record<string, unknown>;
}

export type ReviewStatus = 'open' | 'acknowledged' | 'escalated' | 'resolved';

export interface ReviewItem {
  itemId: string;
  kind: string;
  status: ReviewStatus;
  subjectId: string;
  applicationId: string | null;
  channel: string | null;
  occurredAt: string;
  ageSeconds?: number;
  /** With governance: when the case is due, and whether it is overdue. */
  dueAt?: string;
  slaStatus?: string;
  /** One case per subject, rule and application: how severe it is and how often it occurred. */
  severity?: ReviewSeverity;
  occurrences?: number;
  lastOccurredAt?: string;
  /** The key name of the reviewer holding the case; null while nobody does. */
  assignee?: string | null;
  detail: Record<string, unknown>;
}

export const REVIEW_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** The event catalog's channels, which the queue filters by. */
export const CHANNELS = ['web', 'vpn', 'saas', 'privileged', 'api'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

/** `GET /v1/reviews/summary`: the top of the queue. */
export interface ReviewSummary {
  at: string;
  open: number;
  overdue: number;
  oldestOpenedAt: string | null;
  bySeverity: Record<ReviewSeverity, { open: number; overdue: number }>;
  trend: { days7: { opened: number; resolved: number }; days30: { opened: number; resolved: number } };
}

/** Governance's exceptions; only the fields the console shows are relied on. */
/** One exception as `GET /v1/exceptions` answers it. */
export interface ExceptionRecord {
  exceptionId: string;
  scope: { subjectId?: string; applicationId?: string; channel?: string };
  allowedMethods: string[];
  status: string;
  justification: string;
  requestedBy?: string;
  requestedAt: string;
  expiresAt: string;
}

/** What an exception's scope names, most specific first, e.g. "alice · legacy-vpn · vpn". */
export function describeScope({ scope }: ExceptionRecord): string {
  return [scope.subjectId, scope.applicationId, scope.channel].filter(Boolean).join(' · ');
}

export interface PostureReport {
  estate: {
    subjects: {
      subjects: number;
      passwordless: number;
      phishingResistantCapable: number;
      passwordlessShare: number | null;
      phishingResistantCapableShare: number | null;
    };
    authentications: number;
    fallbacks: number;
    fallbackRate: number | null;
    violationRate: number | null;
  };
  applications: Array<{
    applicationId: string;
    subjects: { subjects: number; passwordlessShare: number | null; phishingResistantCapableShare: number | null };
    authentications: number;
    fallbacks: number;
    fallbackRate: number | null;
    violationRate: number | null;
  }>;
  openReviews: { open: number; byAge: Record<string, number>; oldestOccurredAt: string | null };
}
