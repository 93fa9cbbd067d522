import type {
  AuthenticationEvaluated,
  AuthenticationRecord,
  AuthenticationVerdictFilter,
  OpenReviewAges,
  PostureCounter,
  PostureDelta,
  ReviewItem,
  ReviewItemKind,
  ReviewItemStatus,
  SubjectDocument,
  SubjectShareCounts,
} from '@ledger/domain/projections';
import type { ReviewSeverity } from '@ledger/domain';

/** The read models the runner maintains; each has its own checkpoint and checksum. */
export const PROJECTION_NAMES = ['subject-state', 'review-queue', 'estate-posture', 'authentications'] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

export interface ProjectionCheckpoint {
  projection: ProjectionName;
  /** Global position of the last event applied; -1 before the first. */
  position: number;
  /** Events applied since the read model was created; equals the events read when none was applied twice or skipped. */
  eventsApplied: number;
  /** When the store recorded the last applied event. */
  lastEventRecordedAt: string | null;
}

/** Everything one batch of events changes, committed with the new checkpoint or not at all. */
export interface ReadModelChanges {
  subjects: SubjectDocument[];
  /**
   * Review cases as they stand after the batch, each once, written whole (insert or replace):
   * occurrences and reviewers' actions are folded in order into the subject document first.
   */
  reviewItems: ReviewItem[];
  postureDeltas: PostureDelta[];
  subjectApplications: Array<{ subjectId: string; applicationId: string }>;
  /** New authentication rows, with their verdict when it came in the same batch. */
  authentications?: AuthenticationRecord[];
  /** Verdicts for authentication rows committed earlier; a row keeps its first verdict. */
  authenticationEvaluations?: AuthenticationEvaluated[];
  /** The last event of the batch, applied or skipped. */
  checkpoint: { position: number; recordedAt: string };
  eventsRead: number;
}

/** A value read together with the checkpoint it is consistent with. */
export interface AtPosition<T> {
  position: number;
  value: T;
}

export interface SubjectListing {
  subjectId: string;
  passwordless: boolean;
  phishingResistantCapable: boolean;
  highestAal: number;
  lastEventAt: string;
}

export interface SubjectSearch {
  prefix: string;
  /** Exclusive: the last subject id of the previous page. */
  after?: string;
  limit: number;
}

export type ReviewSortOrder = 'severity-first' | 'oldest-first' | 'newest-first';

export interface ReviewSearch {
  /** One status, or any of several. */
  status: ReviewItemStatus | readonly ReviewItemStatus[];
  kind?: ReviewItemKind;
  applicationId?: string;
  subjectId?: string;
  severity?: ReviewSeverity;
  channel?: string;
  /** Only cases opened (or re-opened) at or before this `toISOString()` time: a minimum age, resolved against now by the caller. */
  openedAtOrBefore?: string;
  /** The reviewer holding the case; null for cases nobody holds. */
  assignee?: string | null;
  order: ReviewSortOrder;
  /** Exclusive keyset cursor: the last item of the previous page (its severity rank for `severity-first`). */
  after?: { occurredAt: string; itemId: string; severityRank?: number };
  limit: number;
}

/** What the summary is asked for: each severity's overdue cut-off and the trend starts, all `toISOString()` times. */
export interface ReviewSummaryQuery {
  /** Unresolved cases of a severity opened at or before its time are overdue (`overdueIfOpenedAtOrBefore`). */
  overdueAtOrBefore: Record<ReviewSeverity, string>;
  since: { days7: string; days30: string };
}

/** The top of the review queue (issue 16). */
export interface ReviewSummary {
  /** Unresolved cases (open, acknowledged, escalated). */
  open: number;
  overdue: number;
  /** When the longest-waiting unresolved case opened (or re-opened); null when none is. */
  oldestOpenedAt: string | null;
  bySeverity: Record<ReviewSeverity, { open: number; overdue: number }>;
  /** Cases whose current round opened since the start, and cases resolved since it (by their last resolution). */
  trend: { days7: { opened: number; resolved: number }; days30: { opened: number; resolved: number } };
}

/** Filters of the auditor's authentications query; every one is optional. */
export interface AuthenticationFilter {
  applicationId?: string;
  channel?: string;
  subjectId?: string;
  /** Inclusive bounds on when the authentication happened, as `toISOString()` text. */
  from?: string;
  to?: string;
  verdict?: AuthenticationVerdictFilter;
  /** Lowest achieved AAL; unevaluated authentications have none and are left out. */
  minAal?: number;
}

export interface AuthenticationSearch extends AuthenticationFilter {
  /** Exclusive keyset cursor: the last row of the previous page. */
  after?: { occurredAt: string; position: number };
  limit: number;
}

export interface PostureWindow {
  /** Inclusive `YYYY-MM-DDTHH` bucket, or none for the beginning. */
  fromBucket?: string;
  /** Exclusive `YYYY-MM-DDTHH` bucket, or none for the end. */
  toBucket?: string;
}

export interface PostureData {
  counters: PostureCounter[];
  estateShares: SubjectShareCounts;
  applicationShares: Record<string, SubjectShareCounts>;
  openReviews: OpenReviewAges;
}

/**
 * Where read models live. SQLite by default, in a file of its own; a server
 * database can implement the same port. Writes come only from the projection
 * runner, through `commit`, which must be atomic with the checkpoint.
 */
export interface ReadModelStore {
  checkpoints(): Promise<ProjectionCheckpoint[]>;
  loadSubjects(subjectIds: string[]): Promise<Map<string, SubjectDocument>>;
  commit(changes: ReadModelChanges): Promise<void>;

  getSubject(subjectId: string): Promise<AtPosition<SubjectDocument | undefined>>;
  searchSubjects(search: SubjectSearch): Promise<AtPosition<SubjectListing[]>>;
  listReviewItems(search: ReviewSearch): Promise<AtPosition<ReviewItem[]>>;
  getReviewItem(itemId: string): Promise<AtPosition<ReviewItem | undefined>>;
  countReviewItems(search: { status: readonly ReviewItemStatus[]; subjectId: string }): Promise<AtPosition<number>>;
  reviewSummary(query: ReviewSummaryQuery): Promise<AtPosition<ReviewSummary>>;
  posture(window: PostureWindow, now: Date): Promise<AtPosition<PostureData>>;
  /** Authentications in time order (then position), filtered. */
  listAuthentications(search: AuthenticationSearch): Promise<AtPosition<AuthenticationRecord[]>>;
  countAuthentications(filter: AuthenticationFilter): Promise<AtPosition<number>>;
  /** Open review items per kind (kinds with none are left out), for monitoring. */
  openReviewCounts(): Promise<AtPosition<Record<string, number>>>;

  /** A SHA-256 of each read model's content, in key order; equal content gives equal checksums. */
  checksums(): Promise<AtPosition<Record<ProjectionName, string>>>;
  /**
   * Waits until this process may write the read models, for stores that several projectors can
   * reach (PostgreSQL: the schema's advisory lock, held until close() or the connection dies).
   * The runner calls it before it reads the checkpoint it resumes from. Rejects when `signal` aborts.
   */
  acquireWriter?(signal?: AbortSignal): Promise<void>;
  /** Drops every read model and checkpoint, so the next run starts from position 0. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

/** The read-model database cannot be reached: reads answer 503, writes to the event store go on, the projector retries. */
export class ReadModelUnavailableError extends Error {
  readonly name = 'ReadModelUnavailableError';
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}
