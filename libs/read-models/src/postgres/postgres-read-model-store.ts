import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import pg from 'pg';
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
  ReadModelUnavailableError,
  ReviewSearch,
  ReviewSummary,
  ReviewSummaryQuery,
  SubjectListing,
  SubjectSearch,
} from '../read-model-store.port';
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
  JSON_COLUMNS,
  prefixUpperBound,
  READ_MODEL_SCHEMA_VERSION,
  READ_MODEL_TABLE_NAMES,
  READ_MODEL_TABLES,
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

export interface PostgresReadModelStoreOptions {
  /** node-postgres connection string, e.g. postgres://ledger@db:5432/ledger. */
  connectionString: string;
  /** The schema of the read models; every table lives in it. */
  schema: string;
  /**
   * `projector`: the one writer. It takes the schema's advisory lock (waiting while another
   * projector holds it), applies the migrations, and commits. `reader` (an API replica): reads
   * only, and refuses read models of another schema version.
   */
  role: 'projector' | 'reader';
  /** Most pooled connections for reads. */
  poolSize?: number;
  /** How often a standby projector asks for the lock. */
  lockPollMs?: number;
  /**
   * False for a rebuild's scratch schema: the rebuild holds the live schema's lock itself, and
   * creates the read indexes once the rows are in (`createReadIndexes`).
   */
  scratch?: boolean;
  logger?: { log(message: string): void; warn(message: string): void };
}

/** The advisory lock every projector (and a rebuild) of one schema takes: one writer at a time. */
export function projectorLockName(schema: string): string {
  return `assurance-ledger read models ${schema}`;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`read-model schema must be a lower-case PostgreSQL identifier (letters, digits, _), got "${schema}"`);
  }
}

/** Positions and counts are bigint in PostgreSQL, and well inside a double's exact integers. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Errors that mean PostgreSQL could not be reached or went away, rather than a fault of the query. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code)) return true;
    // Connection exceptions, and the server shutting down or not yet accepting connections.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection.*closed/i.test(
    message,
  );
}

/** `@name` parameters, as the shared queries write them, to PostgreSQL's `$n`. */
export function positional(sql: string, parameters: Record<string, unknown>): { text: string; values: unknown[] } {
  const index = new Map<string, number>();
  const values: unknown[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    if (!(name in parameters)) throw new Error(`no value for parameter @${name}`);
    let n = index.get(name);
    if (n === undefined) {
      values.push(parameters[name]);
      index.set(name, (n = values.length));
    }
    return `$${n}`;
  });
  return { text, values };
}

const ARRAY_TYPES = { text: 'text[]', json: 'text[]', integer: 'integer[]', bigint: 'bigint[]' } as const;
/** Rows per statement of a batch insert: keeps each statement's size bounded during a rebuild. */
const ROWS_PER_STATEMENT = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Writer {
  client: pg.Client;
  lost: boolean;
}

/**
 * Read models in PostgreSQL, in a schema of their own, with the tables the SQLite adapter has
 * (both are made from read-model-rows.ts). One projector writes, holding the schema's advisory
 * lock on its own connection, and commits on that same connection: if the connection dies, so
 * does the lock, and so does any transaction in flight, so a standby that takes over can never
 * interleave its commits with ours. API replicas on any host read through a pool, each read in
 * one snapshot with the checkpoint it is consistent with.
 */
export class PostgresReadModelStore implements ReadModelStore {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly role: 'projector' | 'reader';
  private readonly scratch: boolean;
  private readonly lockPollMs: number;
  private readonly connectionString: string;
  private readonly logger?: PostgresReadModelStoreOptions['logger'];
  private writer?: Writer;
  private acquiring?: Promise<void>;
  private versionChecked = false;
  private closed = false;

  constructor(options: PostgresReadModelStoreOptions) {
    assertSchemaName(options.schema);
    this.schema = options.schema;
    this.role = options.role;
    this.scratch = options.scratch === true;
    this.lockPollMs = options.lockPollMs ?? 500;
    this.connectionString = options.connectionString;
    this.logger = options.logger;
    this.pool = new pg.Pool({
      ...this.connectionSettings(),
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool; the next read gets a new one.
    this.pool.on('error', (error) => this.logger?.warn(`read-model connection lost: ${error.message}`));
  }

  private connectionSettings(): pg.ClientConfig {
    return {
      connectionString: this.connectionString,
      types: TYPES,
      options: `-c search_path=${this.schema}`,
      // Names the role and the schema in pg_stat_activity, for operators (and the outage tests).
      application_name: `assurance-ledger ${this.role} ${this.schema}`.slice(0, 63),
    };
  }

  /**
   * Waits until this process is the one writer of the schema, then brings the tables to this
   * release's version. A standby projector waits here, asking for the lock every `lockPollMs`,
   * and takes over as soon as the active one's connection is gone.
   */
  async acquireWriter(signal?: AbortSignal): Promise<void> {
    if (this.role !== 'projector') throw new Error('a reader of the read models never writes them');
    if (this.writer && !this.writer.lost) return;
    this.acquiring ??= this.takeWriter(signal).finally(() => (this.acquiring = undefined));
    return this.acquiring;
  }

  private async takeWriter(signal?: AbortSignal): Promise<void> {
    await this.dropWriter();
    const client = new pg.Client({ ...this.connectionSettings(), connectionTimeoutMillis: 5_000 });
    const writer: Writer = { client, lost: false };
    client.on('error', (error) => {
      writer.lost = true;
      this.logger?.warn(`the projector's read-model connection failed: ${error.message}`);
    });
    client.on('end', () => (writer.lost = true));
    try {
      await client.connect();
      if (!this.scratch) {
        let told = false;
        for (;;) {
          if (this.closed || signal?.aborted) throw new Error('stopped while waiting for the read-model lock');
          const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
            projectorLockName(this.schema),
          ]);
          if (rows[0].locked) break;
          if (!told) this.logger?.log(`another projector writes the read models in schema ${this.schema}; standing by to take over`);
          told = true;
          await sleep(this.lockPollMs);
        }
        if (told) this.logger?.log(`took over the read models in schema ${this.schema}`);
      }
      await this.migrate(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw this.unavailable(error);
    }
    this.writer = writer;
  }

  private async dropWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    if (writer) await writer.client.end().catch(() => undefined);
  }

  /** The versioned migrations: applied by the projector only, in one transaction, at start. */
  private async migrate(client: pg.ClientBase, force = false): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS read_model_migrations (
        version     integer PRIMARY KEY,
        description text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM read_model_migrations');
      const current = rows[0].version;
      if (force || current !== READ_MODEL_SCHEMA_VERSION) {
        // Read models are derived data: another version is dropped and projected again from the events.
        for (const table of READ_MODEL_TABLE_NAMES) await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.query(createTablesSql('postgres'));
        if (!this.scratch) await client.query(createIndexesSql('postgres'));
        await client.query(
          `INSERT INTO read_model_migrations (version, description) VALUES ($1, $2)
           ON CONFLICT (version) DO UPDATE SET description = excluded.description, applied_at = now()`,
          [
            READ_MODEL_SCHEMA_VERSION,
            current === null ? 'read-model tables created' : `read-model tables recreated (from version ${current})`,
          ],
        );
      }
      await client.query(
        "INSERT INTO read_model_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(READ_MODEL_SCHEMA_VERSION)],
      );
      await client.query(
        `INSERT INTO projection_checkpoints (projection, position, events_applied)
         SELECT unnest($1::text[]), -1, 0 ON CONFLICT (projection) DO NOTHING`,
        [[...PROJECTION_NAMES]],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private unavailable(error: unknown): unknown {
    if (error instanceof ReadModelUnavailableError || !isConnectionFailure(error)) return error;
    return new ReadModelUnavailableError(`PostgreSQL is unreachable: ${error instanceof Error ? error.message : String(error)}`, error);
  }

  /** Runs `read` on a pooled connection in one read-only snapshot. */
  private async snapshot<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.readOnly(async (client) => {
      if (!this.versionChecked) await this.checkVersion(client);
      return read(client);
    });
  }

  private async readOnly<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = isConnectionFailure(error);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw this.unavailable(this.explainMissing(error));
    } finally {
      client.release(broken);
    }
  }

  private async checkVersion(client: pg.ClientBase): Promise<void> {
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM read_model_migrations');
    const version = rows[0].version;
    if (version !== READ_MODEL_SCHEMA_VERSION && this.role === 'reader') {
      throw new Error(
        `read models in schema ${this.schema} have schema version ${version}, this process reads version ${READ_MODEL_SCHEMA_VERSION}: run the projector of the same release first`,
      );
    }
    this.versionChecked = version === READ_MODEL_SCHEMA_VERSION;
  }

  /** Before the first projector has run, the tables do not exist yet: that is an outage of the read models, not a fault. */
  private explainMissing(error: unknown): unknown {
    if ((error as { code?: unknown })?.code !== '42P01') return error;
    return new ReadModelUnavailableError(
      `the read models in schema ${this.schema} do not exist yet: start the projector (LEDGER_ROLE=projector)`,
      error,
    );
  }

  private async consistentPosition(client: pg.ClientBase): Promise<number> {
    const { rows } = await client.query<{ position: number | null }>('SELECT min(position) AS position FROM projection_checkpoints');
    return rows[0].position ?? -1;
  }

  private async all<Row extends pg.QueryResultRow>(client: pg.ClientBase, sql: string, parameters: Record<string, unknown> = {}) {
    const { text, values } = positional(sql, parameters);
    return (await client.query<Row>(text, values)).rows;
  }

  async checkpoints(): Promise<ProjectionCheckpoint[]> {
    return this.readOnly(async (client) => {
      // Before the first projector ran there are no tables: nothing is projected yet, as in a fresh SQLite file.
      const { rows: exists } = await client.query<{ created: boolean }>(
        "SELECT to_regclass('projection_checkpoints') IS NOT NULL AS created",
      );
      if (!exists[0].created) {
        return PROJECTION_NAMES.map((projection) => ({ projection, position: -1, eventsApplied: 0, lastEventRecordedAt: null })).sort(
          (a, b) => a.projection.localeCompare(b.projection),
        );
      }
      if (!this.versionChecked) await this.checkVersion(client);
      const { rows } = await client.query<{
        projection: ProjectionName;
        position: number;
        events_applied: number;
        last_event_recorded_at: string | null;
      }>('SELECT projection, position, events_applied, last_event_recorded_at FROM projection_checkpoints ORDER BY projection');
      return rows.map((row) => ({
        projection: row.projection,
        position: row.position,
        eventsApplied: row.events_applied,
        lastEventRecordedAt: row.last_event_recorded_at,
      }));
    });
  }

  async loadSubjects(subjectIds: string[]): Promise<Map<string, SubjectDocument>> {
    const found = new Map<string, SubjectDocument>();
    if (subjectIds.length === 0) return found;
    const rows = await this.snapshot(
      async (client) =>
        (
          await client.query<{ subject_id: string; document: string }>(
            'SELECT subject_id, document FROM subjects WHERE subject_id = ANY($1::text[])',
            [subjectIds],
          )
        ).rows,
    );
    for (const row of rows) found.set(row.subject_id, JSON.parse(row.document));
    return found;
  }

  private writerClient(): pg.Client {
    if (this.role !== 'projector') throw new Error('a reader of the read models never writes them');
    const writer = this.writer;
    if (!writer) throw new Error('the read models are written only after acquireWriter()');
    if (writer.lost) {
      throw new ReadModelUnavailableError('the connection holding the read-model lock was lost; taking the lock again before writing');
    }
    return writer.client;
  }

  async commit(changes: ReadModelChanges): Promise<void> {
    // Only a scratch store (a rebuild's, alone on its schema) takes its connection here. A projector never
    // takes the lock again in the middle of a run: what it holds in memory may be stale by then, so
    // the runner starts over from the stored checkpoint, after acquireWriter().
    if (this.scratch && !this.writer) await this.acquireWriter();
    const client = this.writerClient();
    try {
      await client.query('BEGIN');
      await this.writeChanges(client, changes);
      await client.query('COMMIT');
    } catch (error) {
      if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
      else this.writer!.lost = true;
      throw this.unavailable(error);
    }
  }

  private async writeChanges(client: pg.Client, changes: ReadModelChanges): Promise<void> {
    const advanced = await client.query(
      `UPDATE projection_checkpoints
          SET position = $1, events_applied = events_applied + $2, last_event_recorded_at = $3
        WHERE position < $1`,
      [changes.checkpoint.position, changes.eventsRead, changes.checkpoint.recordedAt],
    );
    if (advanced.rowCount !== PROJECTION_NAMES.length) {
      // Throwing rolls the whole batch back: these events, or some of them, were applied already.
      throw new Error(
        `read-model checkpoint is already at or past position ${changes.checkpoint.position}; refusing to apply events twice`,
      );
    }
    await this.insertRows(
      client,
      'subjects',
      changes.subjects.map(subjectRow),
      `ON CONFLICT (subject_id) DO UPDATE SET document = excluded.document, passwordless = excluded.passwordless,
         phishing_resistant_capable = excluded.phishing_resistant_capable, highest_aal = excluded.highest_aal,
         last_event_at = excluded.last_event_at`,
    );
    await this.insertRows(
      client,
      'subject_applications',
      changes.subjectApplications.map(({ subjectId, applicationId }) => ({ application_id: applicationId, subject_id: subjectId })),
      'ON CONFLICT DO NOTHING',
    );
    await this.insertRows(client, 'review_items', changes.reviewItems.map(reviewItemRow), REPLACE_REVIEW_ITEM);
    await this.insertRows(
      client,
      'posture_counters',
      changes.postureDeltas.map((delta) => ({
        bucket: delta.bucket,
        application_id: delta.applicationId,
        channel: delta.channel,
        metric: delta.metric,
        dimension: delta.dimension,
        count: delta.delta,
      })),
      'ON CONFLICT (bucket, application_id, channel, metric, dimension) DO UPDATE SET count = posture_counters.count + excluded.count',
    );
    await this.insertRows(client, 'authentications', (changes.authentications ?? []).map(authenticationRow));
    for (const { stream, revision, evaluation } of changes.authenticationEvaluations ?? []) {
      const { text, values } = positional(EVALUATE_AUTHENTICATION_SQL, {
        stream_id: stream,
        stream_revision: revision,
        ...evaluationColumns(evaluation),
      });
      await client.query(text, values);
    }
  }

  /** Inserts rows a few thousand per statement, each column passed as one array. */
  private async insertRows(client: pg.ClientBase, table: string, rows: ReadonlyArray<object>, onConflict = ''): Promise<void> {
    if (rows.length === 0) return;
    const spec = READ_MODEL_TABLES.find((candidate) => candidate.name === table)!;
    const columns = spec.columns;
    const select = columns.map((column, i) => `$${i + 1}::${ARRAY_TYPES[column.type]}`).join(', ');
    const sql = `INSERT INTO ${table} (${columns.map((column) => column.name).join(', ')})
                 SELECT * FROM unnest(${select}) ${onConflict}`;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
      await client.query(
        sql,
        columns.map((column) => slice.map((row) => (row as Record<string, unknown>)[column.name] ?? null)),
      );
    }
  }

  async getSubject(subjectId: string): Promise<AtPosition<SubjectDocument | undefined>> {
    return this.snapshot(async (client) => {
      const { rows } = await client.query<{ document: string }>('SELECT document FROM subjects WHERE subject_id = $1', [subjectId]);
      return { position: await this.consistentPosition(client), value: rows[0] ? JSON.parse(rows[0].document) : undefined };
    });
  }

  async searchSubjects({ prefix, after, limit }: SubjectSearch): Promise<AtPosition<SubjectListing[]>> {
    return this.snapshot(async (client) => {
      const upper = prefixUpperBound(prefix);
      const { rows } = await client.query<{
        subject_id: string;
        passwordless: number;
        phishing_resistant_capable: number;
        highest_aal: number;
        last_event_at: string;
      }>(
        `SELECT subject_id, passwordless, phishing_resistant_capable, highest_aal, last_event_at FROM subjects
          WHERE subject_id >= $1 AND ($2::text IS NULL OR subject_id > $2) AND ($3::text IS NULL OR subject_id < $3)
          ORDER BY subject_id LIMIT $4`,
        [prefix, after ?? null, upper ?? null, limit],
      );
      return {
        position: await this.consistentPosition(client),
        value: rows.map((row) => ({
          subjectId: row.subject_id,
          passwordless: row.passwordless === 1,
          phishingResistantCapable: row.phishing_resistant_capable === 1,
          highestAal: row.highest_aal,
          lastEventAt: row.last_event_at,
        })),
      };
    });
  }

  async listReviewItems(search: ReviewSearch): Promise<AtPosition<ReviewItem[]>> {
    const { sql, parameters } = reviewItemsQuery(search);
    return this.snapshot(async (client) => ({
      position: await this.consistentPosition(client),
      value: (await this.all<ReviewRow>(client, sql, parameters)).map(toReviewItem),
    }));
  }

  async reviewSummary(query: ReviewSummaryQuery): Promise<AtPosition<ReviewSummary>> {
    const { bySeverity, trend, parameters } = reviewSummaryQueries(query.overdueAtOrBefore, query.since);
    return this.snapshot(async (client) => {
      const rows: ReviewSummaryRows = {
        bySeverity: await this.all<ReviewSummaryRows['bySeverity'][number]>(client, bySeverity, parameters),
        trend: (await this.all<ReviewSummaryRows['trend']>(client, trend, parameters))[0],
      };
      return { position: await this.consistentPosition(client), value: toReviewSummary(rows) };
    });
  }

  async getReviewItem(itemId: string): Promise<AtPosition<ReviewItem | undefined>> {
    return this.snapshot(async (client) => {
      const [row] = await this.all<ReviewRow>(
        client,
        `SELECT ${columnsOf('review_items').join(', ')} FROM review_items WHERE item_id = @itemId`,
        {
          itemId,
        },
      );
      return { position: await this.consistentPosition(client), value: row ? toReviewItem(row) : undefined };
    });
  }

  async countReviewItems(search: { status: readonly ReviewItemStatus[]; subjectId: string }): Promise<AtPosition<number>> {
    const { sql, parameters } = countReviewItemsQuery(search);
    return this.snapshot(async (client) => {
      const [row] = await this.all<{ count: number }>(client, sql, parameters);
      return { position: await this.consistentPosition(client), value: row?.count ?? 0 };
    });
  }

  async listAuthentications(search: AuthenticationSearch): Promise<AtPosition<AuthenticationRecord[]>> {
    const { sql, parameters } = authenticationQuery('page', search);
    return this.snapshot(async (client) => ({
      position: await this.consistentPosition(client),
      value: (await this.all<AuthenticationRow>(client, sql, parameters)).map(toAuthenticationRecord),
    }));
  }

  async countAuthentications(filter: AuthenticationFilter): Promise<AtPosition<number>> {
    const { sql, parameters } = authenticationQuery('count', filter);
    return this.snapshot(async (client) => {
      const [row] = await this.all<{ count: number }>(client, sql, parameters);
      return { position: await this.consistentPosition(client), value: row?.count ?? 0 };
    });
  }

  async openReviewCounts(): Promise<AtPosition<Record<string, number>>> {
    return this.snapshot(async (client) => {
      const counts: Record<string, number> = {};
      const { rows } = await client.query<{ kind: string; open: number }>(
        "SELECT kind, count(*) AS open FROM review_items WHERE status = 'open' GROUP BY kind ORDER BY kind",
      );
      for (const row of rows) counts[row.kind] = row.open;
      return { position: await this.consistentPosition(client), value: counts };
    });
  }

  async posture(window: PostureWindow, now: Date): Promise<AtPosition<PostureData>> {
    return this.snapshot(async (client) => {
      const { rows: counters } = await client.query<PostureCounter>(
        `SELECT application_id AS "applicationId", channel, metric, dimension, sum(count)::bigint AS count FROM posture_counters
          WHERE bucket >= $1 AND bucket < $2 GROUP BY application_id, channel, metric, dimension
          ORDER BY application_id, channel, metric, dimension`,
        [window.fromBucket ?? '', window.toBucket ?? '\uffff'],
      );
      const { rows: estate } = await client.query<ShareRow>(
        `SELECT count(*) AS subjects, sum(passwordless) AS passwordless, sum(phishing_resistant_capable) AS phishing_resistant_capable
           FROM subjects`,
      );
      const { rows: byApplication } = await client.query<ShareRow>(
        `SELECT a.application_id, count(*) AS subjects, sum(s.passwordless) AS passwordless,
                sum(s.phishing_resistant_capable) AS phishing_resistant_capable
           FROM subject_applications a JOIN subjects s ON s.subject_id = a.subject_id
          GROUP BY a.application_id ORDER BY a.application_id`,
      );
      const applicationShares: Record<string, SubjectShareCounts> = {};
      for (const row of byApplication) applicationShares[row.application_id!] = toShares(row);
      const {
        rows: [ages],
      } = await client.query<{ open: number; oldest: string | null; b0: number; b1: number; b2: number; b3: number }>(
        `SELECT count(*) AS open, min(occurred_at) AS oldest,
                count(*) FILTER (WHERE occurred_at > $1) AS b0,
                count(*) FILTER (WHERE occurred_at <= $1 AND occurred_at > $2) AS b1,
                count(*) FILTER (WHERE occurred_at <= $2 AND occurred_at > $3) AS b2,
                count(*) FILTER (WHERE occurred_at <= $3) AS b3
           FROM review_items WHERE status <> 'resolved'`,
        [
          daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['1d-7d']),
          daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['7d-30d']),
          daysBefore(now, REVIEW_AGE_BAND_STARTS_DAYS['over-30d']),
        ],
      );
      const openReviews: OpenReviewAges = {
        open: ages?.open ?? 0,
        byAge: { 'under-1d': ages?.b0 ?? 0, '1d-7d': ages?.b1 ?? 0, '7d-30d': ages?.b2 ?? 0, 'over-30d': ages?.b3 ?? 0 },
        oldestOccurredAt: ages?.oldest ?? null,
      };
      return {
        position: await this.consistentPosition(client),
        value: { counters, estateShares: toShares(estate[0]), applicationShares, openReviews },
      };
    });
  }

  /** The same hash as the SQLite adapter's over the same content: the rows, column by column, in key order. */
  async checksums(): Promise<AtPosition<Record<ProjectionName, string>>> {
    return this.snapshot(async (client) => {
      const checksums = {} as Record<ProjectionName, string>;
      for (const name of PROJECTION_NAMES) {
        const hash = createHash('sha256');
        for (const sql of CHECKSUM_QUERIES[name]) {
          const result = await client.query<unknown[]>({ text: sql, rowMode: 'array' });
          const columns = result.fields.map((field) => field.name);
          for (const row of result.rows) {
            const values = row.map((value, i) =>
              JSON_COLUMNS.has(columns[i]) && value !== null ? canonicalize(JSON.parse(String(value))) : value,
            );
            hash.update(JSON.stringify(values)).update('\n');
          }
          hash.update('--\n');
        }
        checksums[name] = hash.digest('hex');
      }
      return { position: await this.consistentPosition(client), value: checksums };
    });
  }

  async reset(): Promise<void> {
    await this.acquireWriter();
    await this.migrate(this.writerClient(), true);
  }

  /** Creates the read indexes a scratch store left out while it was filled. */
  async createReadIndexes(): Promise<void> {
    const client = this.writerClient();
    await client.query(createIndexesSql('postgres'));
    await client.query('ANALYZE');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.acquiring?.catch(() => undefined); // a writer taken meanwhile is ended below too
    // Ending the connection releases the advisory lock: a standby takes over at once.
    await this.dropWriter();
    await this.pool.end();
  }
}
