import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Channel } from '@ledger/domain';
import {
  AuthenticationEvaluation,
  AuthenticationRecord,
  OpenReviewAges,
  PostureCounter,
  REVIEW_AGE_BAND_STARTS_DAYS,
  ReviewItem,
  ReviewItemStatus,
  SubjectDocument,
  SubjectShareCounts,
} from '@ledger/domain/projections';
import {
  AtPosition,
  AuthenticationFilter,
  AuthenticationSearch,
  PostureData,
  PostureWindow,
  PROJECTION_NAMES,
  ProjectionCheckpoint,
  ProjectionName,
  ReadModelChanges,
  ReadModelStore,
  ReviewSearch,
  SubjectListing,
  SubjectSearch,
} from '../read-model-store.port';

export interface SqliteReadModelStoreOptions {
  /** File path, or ':memory:' for throwaway read models in tests. */
  path: string;
  busyTimeoutMs?: number;
  /**
   * `live` (default): WAL, every commit survives a crash of the process.
   * `scratch`: no fsync and an in-memory rollback journal, for a rebuild into a
   * file that is thrown away if anything goes wrong; `close()` turns it into WAL.
   */
  durability?: 'live' | 'scratch';
  /**
   * True when another process (the projector) owns the file and this one only
   * reads it: a schema of another version is then refused rather than dropped.
   */
  reader?: boolean;
}

/** Bumped whenever the tables or the documents change shape; an older file is dropped and rebuilt. */
export const READ_MODEL_SCHEMA_VERSION = 4;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS read_model_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection             TEXT PRIMARY KEY,
  position               INTEGER NOT NULL,
  events_applied         INTEGER NOT NULL,
  last_event_recorded_at TEXT
) WITHOUT ROWID;
-- A rowid table: documents are large, which WITHOUT ROWID tables handle badly.
CREATE TABLE IF NOT EXISTS subjects (
  subject_id                 TEXT NOT NULL UNIQUE,
  document                   TEXT NOT NULL,
  passwordless               INTEGER NOT NULL,
  phishing_resistant_capable INTEGER NOT NULL,
  highest_aal                INTEGER NOT NULL,
  last_event_at              TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subject_applications (
  application_id TEXT NOT NULL,
  subject_id     TEXT NOT NULL,
  PRIMARY KEY (application_id, subject_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS review_items (
  item_id         TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  application_id  TEXT,
  channel         TEXT,
  occurred_at     TEXT NOT NULL,
  stream_id       TEXT NOT NULL,
  stream_revision INTEGER NOT NULL,
  position        INTEGER NOT NULL,
  detail          TEXT NOT NULL,
  actions         TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posture_counters (
  bucket         TEXT NOT NULL,
  application_id TEXT NOT NULL,
  channel        TEXT NOT NULL,
  metric         TEXT NOT NULL,
  dimension      TEXT NOT NULL,
  count          INTEGER NOT NULL,
  PRIMARY KEY (bucket, application_id, channel, metric, dimension)
) WITHOUT ROWID;
-- One row per successful authentication, keyed by its global position.
CREATE TABLE IF NOT EXISTS authentications (
  position        INTEGER PRIMARY KEY,
  stream_id       TEXT NOT NULL,
  stream_revision INTEGER NOT NULL,
  subject_id      TEXT NOT NULL,
  occurred_at     TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  channel         TEXT NOT NULL,
  achieved_aal    INTEGER,
  required_aal    INTEGER,
  verdict         TEXT,
  policy_version  INTEGER,
  detail          TEXT NOT NULL,
  evaluation      TEXT,
  UNIQUE (stream_id, stream_revision)
);
`;

/**
 * Indexes that serve reads only: no projection write looks rows up through them. A rebuild
 * (`scratch`) creates them once its rows are in, which sorts each index in one pass instead of
 * inserting every row into every index as it comes.
 */
const READ_INDEXES = `
CREATE INDEX IF NOT EXISTS review_items_by_age ON review_items (status, occurred_at, item_id);
CREATE INDEX IF NOT EXISTS review_items_by_subject ON review_items (subject_id, status);
-- Every authentications index ends with the rowid (the position), so each serves the keyset
-- order (occurred_at, position) directly. Chosen with EXPLAIN QUERY PLAN (see the read model's
-- tests): time alone, and each selective equality filter; channel and minAal are filtered while
-- walking one of these. An application with a verdict has its own index: walking the
-- application's rows and dropping the other verdicts was the one filter over 50 ms at p99 in
-- the benchmarks (B7).
CREATE INDEX IF NOT EXISTS authentications_by_time ON authentications (occurred_at);
CREATE INDEX IF NOT EXISTS authentications_by_application ON authentications (application_id, occurred_at);
CREATE INDEX IF NOT EXISTS authentications_by_subject ON authentications (subject_id, occurred_at);
CREATE INDEX IF NOT EXISTS authentications_by_verdict ON authentications (verdict, occurred_at);
CREATE INDEX IF NOT EXISTS authentications_by_application_verdict ON authentications (application_id, verdict, occurred_at);
`;

const TABLES = [
  'read_model_meta',
  'projection_checkpoints',
  'subjects',
  'subject_applications',
  'review_items',
  'posture_counters',
  'authentications',
];

/** Tables and their key order, per read model: the checksum reads them in exactly this order. */
const CHECKSUM_QUERIES: Record<ProjectionName, string[]> = {
  'subject-state': [
    'SELECT subject_id, document, passwordless, phishing_resistant_capable, highest_aal, last_event_at FROM subjects ORDER BY subject_id',
    'SELECT application_id, subject_id FROM subject_applications ORDER BY application_id, subject_id',
  ],
  'review-queue': [
    `SELECT item_id, kind, status, subject_id, application_id, channel, occurred_at, stream_id, stream_revision, position, detail, actions
       FROM review_items ORDER BY item_id`,
  ],
  'estate-posture': [
    'SELECT bucket, application_id, channel, metric, dimension, count FROM posture_counters WHERE count <> 0 ORDER BY bucket, application_id, channel, metric, dimension',
  ],
  authentications: [
    `SELECT position, stream_id, stream_revision, subject_id, occurred_at, application_id, channel, achieved_aal, required_aal, verdict,
            policy_version, detail, evaluation
       FROM authentications ORDER BY position`,
  ],
};

/** Columns that hold JSON documents are hashed in canonical form, so key order never matters. */
const JSON_COLUMNS = new Set(['document', 'detail', 'evaluation', 'actions']);

interface ReviewRow {
  item_id: string;
  kind: string;
  status: string;
  subject_id: string;
  application_id: string | null;
  channel: string | null;
  occurred_at: string;
  stream_id: string;
  stream_revision: number;
  position: number;
  detail: string;
  actions: string;
}

interface AuthenticationRow {
  position: number;
  stream_id: string;
  stream_revision: number;
  subject_id: string;
  occurred_at: string;
  application_id: string;
  channel: string;
  detail: string;
  evaluation: string | null;
}

/** What the row keeps as JSON besides its filter columns. */
interface AuthenticationDetail {
  methods: AuthenticationRecord['methods'];
  sessionId: string | null;
}

function toAuthenticationRecord(row: AuthenticationRow): AuthenticationRecord {
  const detail = JSON.parse(row.detail) as AuthenticationDetail;
  return {
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
    applicationId: row.application_id,
    channel: row.channel as Channel,
    methods: detail.methods,
    sessionId: detail.sessionId,
    source: { stream: row.stream_id, revision: row.stream_revision, position: row.position },
    evaluation: row.evaluation === null ? null : (JSON.parse(row.evaluation) as AuthenticationEvaluation),
  };
}

function evaluationColumns(evaluation: AuthenticationEvaluation | null) {
  return {
    achievedAal: evaluation?.achievedAal ?? null,
    requiredAal: evaluation?.requiredAal ?? null,
    verdict: evaluation?.verdict ?? null,
    policyVersion: evaluation?.policyVersion ?? null,
    evaluation: evaluation === null ? null : JSON.stringify(evaluation),
  };
}

/**
 * The WHERE clause and parameters of an authentications filter. Each
 * combination of filters is one statement shape, prepared once.
 */
export function authenticationWhere(filter: AuthenticationFilter, after?: AuthenticationSearch['after']) {
  const where: string[] = [];
  const parameters: Record<string, unknown> = {};
  const equal = (column: string, name: keyof AuthenticationFilter) => {
    if (filter[name] === undefined) return;
    where.push(`${column} = @${name}`);
    parameters[name] = filter[name];
  };
  equal('application_id', 'applicationId');
  equal('channel', 'channel');
  equal('subject_id', 'subjectId');
  if (filter.verdict === 'unevaluated') where.push('verdict IS NULL');
  else equal('verdict', 'verdict');
  if (filter.from !== undefined) {
    where.push('occurred_at >= @from');
    parameters.from = filter.from;
  }
  if (filter.to !== undefined) {
    where.push('occurred_at <= @to');
    parameters.to = filter.to;
  }
  if (filter.minAal !== undefined) {
    where.push('achieved_aal >= @minAal');
    parameters.minAal = filter.minAal;
  }
  if (after !== undefined) {
    where.push('(occurred_at, position) > (@afterOccurredAt, @afterPosition)');
    Object.assign(parameters, { afterOccurredAt: after.occurredAt, afterPosition: after.position });
  }
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', parameters };
}

function authenticationQuery(mode: 'page' | 'count', search: AuthenticationFilter & Partial<AuthenticationSearch>) {
  const { sql: where, parameters } = authenticationWhere(search, search.after);
  if (mode === 'count') return { sql: `SELECT count(*) AS count FROM authentications ${where}`, parameters };
  return {
    sql: `SELECT position, stream_id, stream_revision, subject_id, occurred_at, application_id, channel, detail, evaluation
            FROM authentications ${where} ORDER BY occurred_at, position LIMIT @limit`,
    parameters: { ...parameters, limit: search.limit ?? 100 },
  };
}

interface ShareRow {
  application_id?: string;
  subjects: number;
  passwordless: number | null;
  phishing_resistant_capable: number | null;
}

function toReviewItem(row: ReviewRow): ReviewItem {
  return {
    itemId: row.item_id,
    kind: row.kind as ReviewItem['kind'],
    status: row.status as ReviewItem['status'],
    subjectId: row.subject_id,
    applicationId: row.application_id,
    channel: row.channel as Channel | null,
    occurredAt: row.occurred_at,
    source: { stream: row.stream_id, revision: row.stream_revision, position: row.position },
    detail: JSON.parse(row.detail),
    actions: JSON.parse(row.actions),
  };
}

function toShares(row: ShareRow | undefined): SubjectShareCounts {
  return {
    subjects: row?.subjects ?? 0,
    passwordless: row?.passwordless ?? 0,
    phishingResistantCapable: row?.phishing_resistant_capable ?? 0,
  };
}

/** The smallest string greater than every string starting with `prefix`; undefined for the empty prefix. */
export function prefixUpperBound(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/**
 * The database file, its WAL and its shared-memory file are readable by the owner only: they hold
 * who authenticated how and from where. SQLite gives the -wal and -shm files the mode of the
 * database file, so creating that one 0600 (and correcting older ones) covers all three.
 */
function createOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Absent, or owned by another user: nothing this process may change.
    }
  }
}

/**
 * The default read-model store: its own SQLite file in WAL mode, separate from
 * the events. `synchronous=NORMAL` is enough here: a crash of the process never
 * loses a committed transaction in WAL mode, and a power loss can at worst
 * roll the read models back to an earlier checkpoint, from which the runner
 * simply re-applies the events after it.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly statementCache = new Map<string, Database.Statement>();
  private readonly scratch: boolean;
  private readonly reader: boolean;
  private readonly commitTransaction: (changes: ReadModelChanges) => void;

  constructor(options: SqliteReadModelStoreOptions) {
    if (options.path !== ':memory:') createOwnerOnly(options.path);
    this.db = new Database(options.path);
    this.scratch = options.durability === 'scratch';
    this.reader = options.reader === true;
    this.db.pragma(this.scratch ? 'journal_mode = MEMORY' : 'journal_mode = WAL');
    this.db.pragma(this.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
    this.db.pragma('cache_size = -65536');
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    this.createOrUpgradeSchema();
    this.statements = this.prepareStatements();
    this.commitTransaction = this.db.transaction((changes: ReadModelChanges) => this.writeChanges(changes));
  }

  private createOrUpgradeSchema(): void {
    this.db.exec(SCHEMA);
    if (!this.scratch) this.db.exec(READ_INDEXES);
    const stored = this.db.prepare<[], { value: string }>("SELECT value FROM read_model_meta WHERE key = 'schema_version'").get();
    if (stored && Number(stored.value) !== READ_MODEL_SCHEMA_VERSION) {
      if (this.reader) {
        throw new Error(
          `read models have schema version ${stored.value}, this process reads version ${READ_MODEL_SCHEMA_VERSION}: run the projector of the same release first`,
        );
      }
      this.dropAndCreate();
    }
    this.db.transaction(() => {
      this.db
        .prepare("INSERT OR IGNORE INTO read_model_meta (key, value) VALUES ('schema_version', ?)")
        .run(String(READ_MODEL_SCHEMA_VERSION));
      const seed = this.db.prepare('INSERT OR IGNORE INTO projection_checkpoints (projection, position, events_applied) VALUES (?, -1, 0)');
      for (const name of PROJECTION_NAMES) seed.run(name);
    })();
  }

  private dropAndCreate(): void {
    this.db.transaction(() => {
      for (const table of TABLES) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
      this.db.exec(SCHEMA);
    })();
  }

  private prepareStatements() {
    const db = this.db;
    return {
      checkpoints: db.prepare<
        [],
        { projection: ProjectionName; position: number; events_applied: number; last_event_recorded_at: string | null }
      >('SELECT projection, position, events_applied, last_event_recorded_at FROM projection_checkpoints ORDER BY projection'),
      // The read models move together; the lowest checkpoint is the position every read is consistent with.
      consistentPosition: db.prepare<[], { position: number | null }>('SELECT min(position) AS position FROM projection_checkpoints'),
      advanceCheckpoint: db.prepare<{ position: number; events: number; recordedAt: string }>(
        `UPDATE projection_checkpoints
            SET position = @position, events_applied = events_applied + @events, last_event_recorded_at = @recordedAt
          WHERE position < @position`,
      ),
      selectSubject: db.prepare<[string], { document: string }>('SELECT document FROM subjects WHERE subject_id = ?'),
      upsertSubject: db.prepare(
        `INSERT INTO subjects (subject_id, document, passwordless, phishing_resistant_capable, highest_aal, last_event_at)
         VALUES (@subjectId, @document, @passwordless, @phishingResistantCapable, @highestAal, @lastEventAt)
         ON CONFLICT (subject_id) DO UPDATE SET document = excluded.document, passwordless = excluded.passwordless,
           phishing_resistant_capable = excluded.phishing_resistant_capable, highest_aal = excluded.highest_aal,
           last_event_at = excluded.last_event_at`,
      ),
      linkSubjectApplication: db.prepare('INSERT OR IGNORE INTO subject_applications (application_id, subject_id) VALUES (?, ?)'),
      // A plain INSERT: an event applied twice would collide here and abort its whole batch.
      insertReviewItem: db.prepare(
        `INSERT INTO review_items (item_id, kind, status, subject_id, application_id, channel, occurred_at, stream_id, stream_revision, position, detail, actions)
         VALUES (@itemId, @kind, @status, @subjectId, @applicationId, @channel, @occurredAt, @stream, @revision, @position, @detail, @actions)`,
      ),
      // An action on an item this code never opened (none today) changes nothing, identically on every replay.
      updateReviewItem: db.prepare<{ itemId: string; status: string; action: string }>(
        `UPDATE review_items SET status = @status, actions = json_insert(actions, '$[#]', json(@action)) WHERE item_id = @itemId`,
      ),
      selectReviewItem: db.prepare<[string], ReviewRow>('SELECT * FROM review_items WHERE item_id = ?'),
      addToPostureCounter: db.prepare(
        `INSERT INTO posture_counters (bucket, application_id, channel, metric, dimension, count)
         VALUES (@bucket, @applicationId, @channel, @metric, @dimension, @delta)
         ON CONFLICT (bucket, application_id, channel, metric, dimension) DO UPDATE SET count = count + excluded.count`,
      ),
      insertAuthentication: db.prepare(
        `INSERT INTO authentications (position, stream_id, stream_revision, subject_id, occurred_at, application_id, channel,
                                      achieved_aal, required_aal, verdict, policy_version, detail, evaluation)
         VALUES (@position, @stream, @revision, @subjectId, @occurredAt, @applicationId, @channel,
                 @achievedAal, @requiredAal, @verdict, @policyVersion, @detail, @evaluation)`,
      ),
      // The first verdict wins, as it does within a batch.
      evaluateAuthentication: db.prepare(
        `UPDATE authentications
            SET achieved_aal = @achievedAal, required_aal = @requiredAal, verdict = @verdict, policy_version = @policyVersion, evaluation = @evaluation
          WHERE stream_id = @stream AND stream_revision = @revision AND evaluation IS NULL`,
      ),
      searchSubjects: db.prepare<
        { prefix: string; after: string | null; to: string | null; limit: number },
        { subject_id: string; passwordless: number; phishing_resistant_capable: number; highest_aal: number; last_event_at: string }
      >(
        `SELECT subject_id, passwordless, phishing_resistant_capable, highest_aal, last_event_at FROM subjects
          WHERE subject_id >= @prefix AND (@after IS NULL OR subject_id > @after) AND (@to IS NULL OR subject_id < @to)
          ORDER BY subject_id LIMIT @limit`,
      ),
      postureCounters: db.prepare<[string, string], PostureCounter>(
        `SELECT application_id AS applicationId, channel, metric, dimension, sum(count) AS count FROM posture_counters
          WHERE bucket >= ? AND bucket < ? GROUP BY application_id, channel, metric, dimension
          ORDER BY application_id, channel, metric, dimension`,
      ),
      estateShares: db.prepare<[], ShareRow>(
        'SELECT count(*) AS subjects, sum(passwordless) AS passwordless, sum(phishing_resistant_capable) AS phishing_resistant_capable FROM subjects',
      ),
      applicationShares: db.prepare<[], ShareRow>(
        `SELECT a.application_id, count(*) AS subjects, sum(s.passwordless) AS passwordless,
                sum(s.phishing_resistant_capable) AS phishing_resistant_capable
           FROM subject_applications a JOIN subjects s ON s.subject_id = a.subject_id
          GROUP BY a.application_id ORDER BY a.application_id`,
      ),
      openReviewCounts: db.prepare<[], { kind: string; open: number }>(
        "SELECT kind, count(*) AS open FROM review_items WHERE status = 'open' GROUP BY kind ORDER BY kind",
      ),
      openReviewAges: db.prepare<
        { day: string; week: string; month: string },
        { open: number; oldest: string | null; b0: number | null; b1: number | null; b2: number | null; b3: number | null }
      >(
        `SELECT count(*) AS open, min(occurred_at) AS oldest,
                sum(occurred_at > @day) AS b0,
                sum(occurred_at <= @day AND occurred_at > @week) AS b1,
                sum(occurred_at <= @week AND occurred_at > @month) AS b2,
                sum(occurred_at <= @month) AS b3
           FROM review_items WHERE status <> 'resolved'`,
      ),
    };
  }

  async checkpoints(): Promise<ProjectionCheckpoint[]> {
    return this.statements.checkpoints.all().map((row) => ({
      projection: row.projection,
      position: row.position,
      eventsApplied: row.events_applied,
      lastEventRecordedAt: row.last_event_recorded_at,
    }));
  }

  async loadSubjects(subjectIds: string[]): Promise<Map<string, SubjectDocument>> {
    const found = new Map<string, SubjectDocument>();
    for (const subjectId of subjectIds) {
      const row = this.statements.selectSubject.get(subjectId);
      if (row) found.set(subjectId, JSON.parse(row.document));
    }
    return found;
  }

  async commit(changes: ReadModelChanges): Promise<void> {
    this.commitTransaction(changes);
  }

  private writeChanges(changes: ReadModelChanges): void {
    const { statements } = this;
    const advanced = statements.advanceCheckpoint.run({
      position: changes.checkpoint.position,
      events: changes.eventsRead,
      recordedAt: changes.checkpoint.recordedAt,
    });
    if (advanced.changes !== PROJECTION_NAMES.length) {
      // Throwing rolls the whole batch back: these events, or some of them, were applied already.
      throw new Error(
        `read-model checkpoint is already at or past position ${changes.checkpoint.position}; refusing to apply events twice`,
      );
    }
    for (const document of changes.subjects) {
      statements.upsertSubject.run({
        subjectId: document.subjectId,
        document: JSON.stringify(document),
        passwordless: document.summary.passwordless ? 1 : 0,
        phishingResistantCapable: document.summary.phishingResistantCapable ? 1 : 0,
        highestAal: document.summary.highestAal,
        lastEventAt: document.lastEventAt,
      });
    }
    for (const { subjectId, applicationId } of changes.subjectApplications) statements.linkSubjectApplication.run(applicationId, subjectId);
    for (const item of changes.reviewItems) {
      statements.insertReviewItem.run({
        itemId: item.itemId,
        kind: item.kind,
        status: item.status,
        subjectId: item.subjectId,
        applicationId: item.applicationId,
        channel: item.channel,
        occurredAt: item.occurredAt,
        stream: item.source.stream,
        revision: item.source.revision,
        position: item.source.position,
        detail: JSON.stringify(item.detail),
        actions: JSON.stringify(item.actions),
      });
    }
    for (const update of changes.reviewItemUpdates) {
      statements.updateReviewItem.run({ itemId: update.itemId, status: update.status, action: JSON.stringify(update.action) });
    }
    for (const delta of changes.postureDeltas) statements.addToPostureCounter.run(delta);
    for (const record of changes.authentications ?? []) {
      const detail: AuthenticationDetail = { methods: record.methods, sessionId: record.sessionId };
      // A plain INSERT keyed by position: an event applied twice aborts its batch.
      statements.insertAuthentication.run({
        position: record.source.position,
        stream: record.source.stream,
        revision: record.source.revision,
        subjectId: record.subjectId,
        occurredAt: record.occurredAt,
        applicationId: record.applicationId,
        channel: record.channel,
        detail: JSON.stringify(detail),
        ...evaluationColumns(record.evaluation),
      });
    }
    for (const { stream, revision, evaluation } of changes.authenticationEvaluations ?? []) {
      statements.evaluateAuthentication.run({ stream, revision, ...evaluationColumns(evaluation) });
    }
  }

  private position(): number {
    return this.statements.consistentPosition.get()?.position ?? -1;
  }

  // Every read below runs in one read transaction, so the data and the position it reports
  // come from the same committed state, even when another process (the projector) commits meanwhile.
  private snapshot<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  async getSubject(subjectId: string): Promise<AtPosition<SubjectDocument | undefined>> {
    return this.snapshot(() => {
      const row = this.statements.selectSubject.get(subjectId);
      return { position: this.position(), value: row ? JSON.parse(row.document) : undefined };
    });
  }

  async searchSubjects(search: SubjectSearch): Promise<AtPosition<SubjectListing[]>> {
    return this.snapshot(() => this.searchSubjectsNow(search));
  }

  private searchSubjectsNow({ prefix, after, limit }: SubjectSearch): AtPosition<SubjectListing[]> {
    const rows = this.statements.searchSubjects.all({ prefix, after: after ?? null, to: prefixUpperBound(prefix) ?? null, limit });
    return {
      position: this.position(),
      value: rows.map((row) => ({
        subjectId: row.subject_id,
        passwordless: row.passwordless === 1,
        phishingResistantCapable: row.phishing_resistant_capable === 1,
        highestAal: row.highest_aal,
        lastEventAt: row.last_event_at,
      })),
    };
  }

  async listReviewItems(search: ReviewSearch): Promise<AtPosition<ReviewItem[]>> {
    return this.snapshot(() => this.listReviewItemsNow(search));
  }

  async openReviewCounts(): Promise<AtPosition<Record<string, number>>> {
    return this.snapshot(() => {
      const counts: Record<string, number> = {};
      for (const row of this.statements.openReviewCounts.all()) counts[row.kind] = row.open;
      return { position: this.position(), value: counts };
    });
  }

  private listReviewItemsNow(search: ReviewSearch): AtPosition<ReviewItem[]> {
    const oldestFirst = search.order === 'oldest-first';
    const statuses = typeof search.status === 'string' ? [search.status] : [...search.status];
    const where = [`status IN (${statuses.map((_, i) => `@status${i}`).join(', ')})`];
    if (search.kind !== undefined) where.push('kind = @kind');
    if (search.applicationId !== undefined) where.push('application_id = @applicationId');
    if (search.subjectId !== undefined) where.push('subject_id = @subjectId');
    if (search.after !== undefined) where.push(`(occurred_at, item_id) ${oldestFirst ? '>' : '<'} (@afterOccurredAt, @afterItemId)`);
    const direction = oldestFirst ? 'ASC' : 'DESC';
    // The filters pick one of a few statement shapes; each shape is prepared once.
    const statement = this.cachedStatement<ReviewRow>(
      `SELECT * FROM review_items WHERE ${where.join(' AND ')} ORDER BY occurred_at ${direction}, item_id ${direction} LIMIT @limit`,
    );
    const parameters: Record<string, unknown> = { limit: search.limit };
    statuses.forEach((status, i) => (parameters[`status${i}`] = status));
    if (search.kind !== undefined) parameters.kind = search.kind;
    if (search.applicationId !== undefined) parameters.applicationId = search.applicationId;
    if (search.subjectId !== undefined) parameters.subjectId = search.subjectId;
    if (search.after !== undefined)
      Object.assign(parameters, { afterOccurredAt: search.after.occurredAt, afterItemId: search.after.itemId });
    return { position: this.position(), value: statement.all(parameters).map(toReviewItem) };
  }

  async listAuthentications(search: AuthenticationSearch): Promise<AtPosition<AuthenticationRecord[]>> {
    const { sql, parameters } = authenticationQuery('page', search);
    const rows = this.cachedStatement<AuthenticationRow>(sql).all(parameters);
    return { position: this.position(), value: rows.map(toAuthenticationRecord) };
  }

  async countAuthentications(filter: AuthenticationFilter): Promise<AtPosition<number>> {
    const { sql, parameters } = authenticationQuery('count', filter);
    return { position: this.position(), value: this.cachedStatement<{ count: number }>(sql).get(parameters)?.count ?? 0 };
  }

  /** SQLite's plan for the authentications query, so tests hold the indexes to the filters they must serve. */
  explainAuthentications(mode: 'page' | 'count', search: AuthenticationSearch): string[] {
    const { sql, parameters } = authenticationQuery(mode, search);
    return this.db
      .prepare<[Record<string, unknown>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(parameters)
      .map((row) => row.detail);
  }

  async getReviewItem(itemId: string): Promise<AtPosition<ReviewItem | undefined>> {
    const row = this.statements.selectReviewItem.get(itemId);
    return { position: this.position(), value: row ? toReviewItem(row) : undefined };
  }

  async countReviewItems(search: { status: readonly ReviewItemStatus[]; subjectId: string }): Promise<AtPosition<number>> {
    const statement = this.cachedStatement<{ count: number }>(
      `SELECT count(*) AS count FROM review_items WHERE subject_id = @subjectId AND status IN (${search.status.map((_, i) => `@status${i}`).join(', ')})`,
    );
    const parameters: Record<string, unknown> = { subjectId: search.subjectId };
    search.status.forEach((status, i) => (parameters[`status${i}`] = status));
    return { position: this.position(), value: statement.get(parameters)?.count ?? 0 };
  }

  private cachedStatement<Row>(sql: string): Database.Statement<[Record<string, unknown>], Row> {
    let statement = this.statementCache.get(sql);
    if (!statement) this.statementCache.set(sql, (statement = this.db.prepare(sql)));
    return statement as Database.Statement<[Record<string, unknown>], Row>;
  }

  async posture(window: PostureWindow, now: Date): Promise<AtPosition<PostureData>> {
    return this.snapshot(() => this.postureNow(window, now));
  }

  private postureNow(window: PostureWindow, now: Date): AtPosition<PostureData> {
    const counters = this.statements.postureCounters.all(window.fromBucket ?? '', window.toBucket ?? '\uffff');
    const applicationShares: Record<string, SubjectShareCounts> = {};
    for (const row of this.statements.applicationShares.all()) applicationShares[row.application_id!] = toShares(row);
    const ages = this.statements.openReviewAges.get({
      day: daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['1d-7d']),
      week: daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['7d-30d']),
      month: daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['over-30d']),
    });
    const openReviews: OpenReviewAges = {
      open: ages?.open ?? 0,
      byAge: { 'under-1d': ages?.b0 ?? 0, '1d-7d': ages?.b1 ?? 0, '7d-30d': ages?.b2 ?? 0, 'over-30d': ages?.b3 ?? 0 },
      oldestOccurredAt: ages?.oldest ?? null,
    };
    return {
      position: this.position(),
      value: { counters, estateShares: toShares(this.statements.estateShares.get()), applicationShares, openReviews },
    };
  }

  async checksums(): Promise<AtPosition<Record<ProjectionName, string>>> {
    const read = this.db.transaction(() => {
      const checksums = {} as Record<ProjectionName, string>;
      for (const name of PROJECTION_NAMES) {
        const hash = createHash('sha256');
        for (const sql of CHECKSUM_QUERIES[name]) {
          const statement = this.db.prepare(sql);
          const columns = statement.columns().map((column) => column.name);
          for (const row of statement.raw().iterate() as IterableIterator<unknown[]>) {
            const values = row.map((value, i) =>
              JSON_COLUMNS.has(columns[i]) && value !== null ? canonicalize(JSON.parse(String(value))) : value,
            );
            hash.update(JSON.stringify(values)).update('\n');
          }
          hash.update('--\n');
        }
        checksums[name] = hash.digest('hex');
      }
      return { position: this.position(), value: checksums };
    });
    return read();
  }

  async reset(): Promise<void> {
    this.statementCache.clear();
    this.dropAndCreate();
    this.createOrUpgradeSchema();
  }

  /** Creates the read-only indexes a scratch store left out while it was filled; a no-op once they exist. */
  createReadIndexes(): void {
    this.db.exec(READ_INDEXES);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.scratch) this.db.pragma('journal_mode = WAL');
    this.db.close();
  }
}
