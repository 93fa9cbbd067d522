import { EstateCloudEvent, SubjectHistory, TimedEvent } from './subject-history';

export interface EstateOptions {
  /** Same seed, same options: the same events, byte for byte. */
  seed: number;
  /** How many subjects the estate has (indices `firstSubjectIndex` up to, not including, `firstSubjectIndex + subjects`). */
  subjects: number;
  firstSubjectIndex?: number;
  /**
   * Yields only the subjects whose index is `index` modulo `count`. Concurrent
   * writers each take one shard, so no two of them ever write to the same
   * subject and each subject's events keep their order.
   */
  shard?: { index: number; count: number };
  /** Sign-ins per subject, inclusive range; about 1.6 events per sign-in follow with fallbacks, step-ups and sessions. */
  authenticationsPerSubject?: { min: number; max: number };
  /** Subject ids are `${subjectIdPrefix}-${index, 7 digits}`. */
  subjectIdPrefix?: string;
  /** Occurrence time of the earliest events. */
  startTime?: string;
  /** Span of time the histories cover. */
  periodDays?: number;
  /**
   * Subjects whose histories are merged in time order: 1 yields subject after
   * subject; larger windows look like live traffic where many subjects are
   * active at once. Each subject's own order is kept either way.
   */
  interleaveWindow?: number;
  /** The subject that uses the break-glass account once; null for none. */
  breakglassSubjectIndex?: number | null;
}

export const ESTATE_DEFAULTS = {
  firstSubjectIndex: 0,
  authenticationsPerSubject: { min: 5, max: 40 },
  subjectIdPrefix: 'emp',
  startTime: '2026-01-05T08:00:00.000Z',
  periodDays: 90,
  interleaveWindow: 100,
  breakglassSubjectIndex: 0,
} as const;

const DAY_MS = 24 * 3600 * 1000;

export function subjectIdFor(subjectIndex: number, subjectIdPrefix: string = ESTATE_DEFAULTS.subjectIdPrefix): string {
  return `${subjectIdPrefix}-${String(subjectIndex).padStart(7, '0')}`;
}

/**
 * The events of one subject, in the order its systems report them. It depends
 * only on the seed, the subject index and the per-subject options, never on
 * how many other subjects the estate has.
 */
export function generateSubjectHistory(options: EstateOptions & { subjectIndex: number }): EstateCloudEvent[] {
  return timedHistory(options, options.subjectIndex).map(({ event }) => event);
}

/**
 * A seeded, realistic estate as CloudEvents 1.0 objects that `POST /v1/events`
 * accepts. Lazy: a million-event estate costs the memory of one window of
 * subjects, not of the whole estate.
 */
export function* generateEstate(options: EstateOptions): Generator<EstateCloudEvent> {
  const first = options.firstSubjectIndex ?? ESTATE_DEFAULTS.firstSubjectIndex;
  const end = first + options.subjects;
  const window = Math.max(1, options.interleaveWindow ?? ESTATE_DEFAULTS.interleaveWindow);
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count)) {
    throw new RangeError(`shard index must be in [0, ${shard.count}), got ${shard.index}`);
  }

  let cohort: number[] = [];
  for (let subjectIndex = first; subjectIndex < end; subjectIndex++) {
    if (subjectIndex % shard.count !== shard.index) continue;
    cohort.push(subjectIndex);
    if (cohort.length === window) {
      yield* mergeByTime(options, cohort);
      cohort = [];
    }
  }
  if (cohort.length > 0) yield* mergeByTime(options, cohort);
}

function mergeByTime(options: EstateOptions, subjectIndices: number[]): EstateCloudEvent[] {
  const timed = subjectIndices.flatMap((subjectIndex) =>
    timedHistory(options, subjectIndex).map((entry, order) => ({ ...entry, subjectIndex, order })),
  );
  // Ties break on subject then on the subject's own order, so the merge is stable and each subject keeps its sequence.
  timed.sort((a, b) => a.atMs - b.atMs || a.subjectIndex - b.subjectIndex || a.order - b.order);
  return timed.map(({ event }) => event);
}

function timedHistory(options: EstateOptions, subjectIndex: number): TimedEvent[] {
  const startMs = Date.parse(options.startTime ?? ESTATE_DEFAULTS.startTime);
  if (Number.isNaN(startMs)) throw new RangeError(`startTime must be an RFC 3339 date-time, got "${options.startTime}"`);
  const breakglassSubjectIndex =
    options.breakglassSubjectIndex === undefined ? ESTATE_DEFAULTS.breakglassSubjectIndex : options.breakglassSubjectIndex;
  const authentications = options.authenticationsPerSubject ?? ESTATE_DEFAULTS.authenticationsPerSubject;
  if (!(authentications.min >= 0 && authentications.max >= authentications.min)) {
    throw new RangeError(`authenticationsPerSubject needs 0 <= min <= max, got ${JSON.stringify(authentications)}`);
  }
  return SubjectHistory.generate({
    seed: options.seed,
    subjectIndex,
    subjectId: subjectIdFor(subjectIndex, options.subjectIdPrefix),
    authentications,
    startMs,
    periodMs: (options.periodDays ?? ESTATE_DEFAULTS.periodDays) * DAY_MS,
    usesBreakglass: subjectIndex === breakglassSubjectIndex,
  });
}
