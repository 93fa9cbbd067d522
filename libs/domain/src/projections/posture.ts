import { CHANNELS, Channel, RECOVERY_METHODS, RecoveryMethod } from '../event-catalog';
import { recoveryDependenceOf } from './recovery-dependence';

/**
 * Posture is kept as counters per hour (UTC), application, channel, metric and
 * dimension, so that any time window is a sum over buckets and a replay gives
 * the same counters.
 */
export type PostureMetric =
  /** Successful authentications; dimension: achieved AAL `0`..`3`, or `unevaluated` until a verdict arrives. */
  | 'authentications'
  | 'authentication-failures'
  /** Verdicts that found a policy violation. */
  | 'violations'
  /** Of the verdicts below policy, those inside an approved exception (`excepted`). */
  | 'excepted'
  /** Verdicts whose AAL rests on a restricted authenticator (SP 800-63B-4 §3.2.9); dimension: the achieved AAL. */
  | 'restricted'
  /** dimension: the method used instead of the intended one. */
  | 'fallbacks'
  /** dimension: `<phase>:<method>`; no application or channel. */
  | 'recoveries';

export const UNEVALUATED = 'unevaluated';

export interface PostureCounterKey {
  /** `YYYY-MM-DDTHH`, the UTC hour the fact occurred in. */
  bucket: string;
  /** Empty when the fact belongs to no application (recoveries). */
  applicationId: string;
  channel: Channel | '';
  metric: PostureMetric;
  dimension: string;
}

export interface PostureDelta extends PostureCounterKey {
  delta: number;
}

export interface PostureCounter extends Omit<PostureCounterKey, 'bucket'> {
  count: number;
}

export function hourBucketOf(isoTime: string): string {
  return isoTime.slice(0, 13);
}

export function postureCounterKey(key: PostureCounterKey): string {
  return [key.bucket, key.applicationId, key.channel, key.metric, key.dimension].join('\u0000');
}

/** Sums deltas that hit the same counter, so a batch writes each counter once. */
export function mergePostureDeltas(deltas: Iterable<PostureDelta>): PostureDelta[] {
  const merged = new Map<string, PostureDelta>();
  for (const delta of deltas) {
    const key = postureCounterKey(delta);
    const existing = merged.get(key);
    if (existing) existing.delta += delta.delta;
    else merged.set(key, { ...delta });
  }
  return [...merged.values()].filter((delta) => delta.delta !== 0);
}

export interface SubjectShareCounts {
  subjects: number;
  passwordless: number;
  phishingResistantCapable: number;
}

export interface OpenReviewAges {
  open: number;
  /** Counts per age band, youngest first. */
  byAge: Record<ReviewAgeBand, number>;
  oldestOccurredAt: string | null;
}

export const REVIEW_AGE_BANDS = ['under-1d', '1d-7d', '7d-30d', 'over-30d'] as const;
export type ReviewAgeBand = (typeof REVIEW_AGE_BANDS)[number];
/** Lower bound of each band, in days. */
export const REVIEW_AGE_BAND_STARTS_DAYS: Record<ReviewAgeBand, number> = { 'under-1d': 0, '1d-7d': 1, '7d-30d': 7, 'over-30d': 30 };

export interface PostureInputs {
  window: { from: string | null; to: string | null };
  counters: PostureCounter[];
  estateShares: SubjectShareCounts;
  applicationShares: Record<string, SubjectShareCounts>;
  openReviews: OpenReviewAges;
}

export interface ShareReport extends SubjectShareCounts {
  passwordlessShare: number | null;
  phishingResistantCapableShare: number | null;
}

export interface ApplicationPosture {
  applicationId: string;
  /** Subjects that ever authenticated to the application, and their current posture. */
  subjects: ShareReport;
  authentications: number;
  authenticationFailures: number;
  fallbacks: number;
  /** Authentications below their required AAL, excepted ones included: an exception governs a shortfall, it does not remove it. */
  violations: number;
  /** Of `violations`, those inside an approved exception. */
  excepted: number;
  evaluated: number;
  /** Authentications whose AAL rests on a restricted authenticator, SMS or voice (SP 800-63B-4 §3.2.9). */
  restricted: number;
  restrictedByAal: Record<string, number>;
  /** fallbacks / max(authentications, fallbacks): a fallback that led nowhere still counts. */
  fallbackRate: number | null;
  /** violations / evaluated authentications. */
  violationRate: number | null;
  authenticationsByAal: Record<string, number>;
  authenticationsByChannel: Partial<Record<Channel, number>>;
  fallbacksByMethod: Record<string, number>;
}

export interface RecoveryPosture {
  byMethod: Partial<Record<RecoveryMethod, { initiated: number; completed: number; failed: number }>>;
  completed: number;
  /** Completed recoveries whose method rests on a password, and their share of all completed ones. */
  passwordDependent: number;
  knowledgeBased: number;
  passwordOrKnowledgeShare: number | null;
}

export interface PostureReport {
  window: { from: string | null; to: string | null };
  estate: {
    subjects: ShareReport;
    authentications: number;
    authenticationsByAal: Record<string, number>;
    authenticationsByChannel: Partial<Record<Channel, number>>;
    fallbacks: number;
    fallbackRate: number | null;
    violations: number;
    excepted: number;
    violationRate: number | null;
    restricted: number;
  };
  /** Ranked: the applications users learned to bypass first (fallback rate, then violation rate). */
  applications: ApplicationPosture[];
  recoveries: RecoveryPosture;
  openReviews: OpenReviewAges;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function shareReport(counts: SubjectShareCounts): ShareReport {
  return {
    ...counts,
    passwordlessShare: ratio(counts.passwordless, counts.subjects),
    phishingResistantCapableShare: ratio(counts.phishingResistantCapable, counts.subjects),
  };
}

function add<K extends string>(record: Partial<Record<K, number>>, key: K, count: number): void {
  record[key] = (record[key] ?? 0) + count;
}

function emptyApplication(applicationId: string, shares: SubjectShareCounts | undefined): ApplicationPosture {
  return {
    applicationId,
    subjects: shareReport(shares ?? { subjects: 0, passwordless: 0, phishingResistantCapable: 0 }),
    authentications: 0,
    authenticationFailures: 0,
    fallbacks: 0,
    violations: 0,
    excepted: 0,
    evaluated: 0,
    restricted: 0,
    restrictedByAal: {},
    fallbackRate: null,
    violationRate: null,
    authenticationsByAal: {},
    authenticationsByChannel: {},
    fallbacksByMethod: {},
  };
}

function byRate(a: number | null, b: number | null): number {
  return (b ?? -1) - (a ?? -1);
}

/** Turns summed counters into the report; pure, so the API and tests share one definition of every rate. */
export function buildPostureReport(inputs: PostureInputs): PostureReport {
  const applications = new Map<string, ApplicationPosture>();
  const application = (id: string) => {
    let found = applications.get(id);
    if (!found) applications.set(id, (found = emptyApplication(id, inputs.applicationShares[id])));
    return found;
  };
  for (const id of Object.keys(inputs.applicationShares)) application(id);

  const recoveries: RecoveryPosture = {
    byMethod: {},
    completed: 0,
    passwordDependent: 0,
    knowledgeBased: 0,
    passwordOrKnowledgeShare: null,
  };
  for (const counter of inputs.counters) {
    if (counter.count === 0) continue;
    if (counter.metric === 'recoveries') {
      const [phase, method] = counter.dimension.split(':') as ['initiated' | 'completed' | 'failed', RecoveryMethod];
      if (!RECOVERY_METHODS.includes(method)) continue;
      const entry = (recoveries.byMethod[method] ??= { initiated: 0, completed: 0, failed: 0 });
      entry[phase] += counter.count;
      if (phase === 'completed') {
        recoveries.completed += counter.count;
        const dependence = recoveryDependenceOf(method);
        if (dependence === 'password') recoveries.passwordDependent += counter.count;
        if (dependence === 'knowledge-based') recoveries.knowledgeBased += counter.count;
      }
      continue;
    }
    const app = application(counter.applicationId);
    switch (counter.metric) {
      case 'authentications':
        app.authentications += counter.count;
        add(app.authenticationsByAal, counter.dimension, counter.count);
        if (counter.dimension !== UNEVALUATED) app.evaluated += counter.count;
        if ((CHANNELS as readonly string[]).includes(counter.channel))
          add(app.authenticationsByChannel, counter.channel as Channel, counter.count);
        break;
      case 'authentication-failures':
        app.authenticationFailures += counter.count;
        break;
      case 'violations':
        app.violations += counter.count;
        break;
      case 'excepted':
        app.excepted += counter.count;
        break;
      case 'restricted':
        app.restricted += counter.count;
        add(app.restrictedByAal, counter.dimension, counter.count);
        break;
      case 'fallbacks':
        app.fallbacks += counter.count;
        add(app.fallbacksByMethod, counter.dimension, counter.count);
        break;
    }
  }
  recoveries.passwordOrKnowledgeShare = ratio(recoveries.passwordDependent + recoveries.knowledgeBased, recoveries.completed);

  const ranked = [...applications.values()];
  for (const app of ranked) {
    app.fallbackRate = ratio(app.fallbacks, Math.max(app.authentications, app.fallbacks));
    app.violationRate = ratio(app.violations, app.evaluated);
  }
  ranked.sort(
    (a, b) =>
      byRate(a.fallbackRate, b.fallbackRate) || byRate(a.violationRate, b.violationRate) || a.applicationId.localeCompare(b.applicationId),
  );

  const estate = {
    subjects: shareReport(inputs.estateShares),
    authentications: 0,
    authenticationsByAal: {} as Record<string, number>,
    authenticationsByChannel: {} as Partial<Record<Channel, number>>,
    fallbacks: 0,
    fallbackRate: null as number | null,
    violations: 0,
    excepted: 0,
    violationRate: null as number | null,
    restricted: 0,
  };
  let evaluated = 0;
  for (const app of ranked) {
    estate.authentications += app.authentications;
    estate.fallbacks += app.fallbacks;
    estate.violations += app.violations;
    estate.excepted += app.excepted;
    estate.restricted += app.restricted;
    evaluated += app.evaluated;
    for (const [aal, count] of Object.entries(app.authenticationsByAal)) add(estate.authenticationsByAal, aal, count);
    for (const [channel, count] of Object.entries(app.authenticationsByChannel))
      add(estate.authenticationsByChannel, channel as Channel, count ?? 0);
  }
  estate.fallbackRate = ratio(estate.fallbacks, Math.max(estate.authentications, estate.fallbacks));
  estate.violationRate = ratio(estate.violations, evaluated);

  return { window: inputs.window, estate, applications: ranked, recoveries, openReviews: inputs.openReviews };
}
