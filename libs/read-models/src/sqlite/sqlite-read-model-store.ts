import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { createOwnerOnly } from '@ledger/event-store';
import {
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
  authenticationQuery,
  AuthenticationRow,
  authenticationRow,
  CHECKSUM_QUERIES,
  columnsOf,
  countReviewItemsQuery,
  createIndexesSql,
  createTablesSql,
  daysBefore,
  EVALUATE_AUTHENTICATION_SQL,
  evaluationColumns,
  insertSql,
  JSON_COLUMNS,
  prefixUpperBound,
  READ_MODEL_SCHEMA_VERSION,
  READ_MODEL_TABLE_NAMES,
  REPLACE_REVIEW_ITEM,
  reviewItemRow,
  reviewItemsQuery,
  reviewSummaryQueries,
  ReviewSummaryRows,
  toReviewSummary,
  ReviewRow,
  ShareRow,
  subjectRow,
  toAuthenticationRecord,
  toReviewItem,
  toShares,
} from '../read-model-rows';
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
  ReviewSummary,
  ReviewSummaryQuery,
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

export { READ_MODEL_SCHEMA_VERSION };

const SCHEMA = createTablesSql('sqlite');
const READ_INDEXES = createIndexesSql('sqlite');

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
      for (const table of READ_MODEL_TABLE_NAMES) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
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
        `${insertSql('subjects')}
         ON CONFLICT (subject_id) DO UPDATE SET document = excluded.document, passwordless = excluded.passwordless,
           phishing_resistant_capable = excluded.phishing_resistant_capable, highest_aal = excluded.highest_aal,
           last_event_at = excluded.last_event_at`,
      ),
      linkSubjectApplication: db.prepare('INSERT OR IGNORE INTO subject_applications (application_id, subject_id) VALUES (?, ?)'),
      // A plain INSERT: an event applied twice would collide here and abort its whole batch.
      upsertReviewItem: db.prepare(`${insertSql('review_items')} ${REPLACE_REVIEW_ITEM}`),
      selectReviewItem: db.prepare<[string], ReviewRow>(
        `SELECT ${columnsOf('review_items').join(', ')} FROM review_items WHERE item_id = ?`,
      ),
      addToPostureCounter: db.prepare(
        `INSERT INTO posture_counters (bucket, application_id, channel, metric, dimension, count)
         VALUES (@bucket, @applicationId, @channel, @metric, @dimension, @delta)
         ON CONFLICT (bucket, application_id, channel, metric, dimension) DO UPDATE SET count = count + excluded.count`,
      ),
      // A plain INSERT keyed by position: an event applied twice aborts its batch.
      insertAuthentication: db.prepare(insertSql('authentications')),
      // The first verdict wins, as it does within a batch.
      evaluateAuthentication: db.prepare(EVALUATE_AUTHENTICATION_SQL),
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
    for (const document of changes.subjects) statements.upsertSubject.run(subjectRow(document));
    for (const { subjectId, applicationId } of changes.subjectApplications) statements.linkSubjectApplication.run(applicationId, subjectId);
    for (const item of changes.reviewItems) statements.upsertReviewItem.run(reviewItemRow(item));
    for (const delta of changes.postureDeltas) statements.addToPostureCounter.run(delta);
    for (const record of changes.authentications ?? []) statements.insertAuthentication.run(authenticationRow(record));
    for (const { stream, revision, evaluation } of changes.authenticationEvaluations ?? []) {
      statements.evaluateAuthentication.run({ stream_id: stream, stream_revision: revision, ...evaluationColumns(evaluation) });
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

  async reviewSummary(query: ReviewSummaryQuery): Promise<AtPosition<ReviewSummary>> {
    return this.snapshot(() => {
      const { bySeverity, trend, parameters } = reviewSummaryQueries(query.overdueAtOrBefore, query.since);
      const rows: ReviewSummaryRows = {
        bySeverity: this.cachedStatement<ReviewSummaryRows['bySeverity'][number]>(bySeverity).all(parameters),
        trend: this.cachedStatement<ReviewSummaryRows['trend']>(trend).get(parameters)!,
      };
      return { position: this.position(), value: toReviewSummary(rows) };
    });
  }

  private listReviewItemsNow(search: ReviewSearch): AtPosition<ReviewItem[]> {
    // The filters pick one of a few statement shapes; each shape is prepared once.
    const { sql, parameters } = reviewItemsQuery(search);
    return { position: this.position(), value: this.cachedStatement<ReviewRow>(sql).all(parameters).map(toReviewItem) };
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
    const { sql, parameters } = countReviewItemsQuery(search);
    return { position: this.position(), value: this.cachedStatement<{ count: number }>(sql).get(parameters)?.count ?? 0 };
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
