import { REVIEW_SEVERITIES, reviewSeverityRank, type Channel, type ReviewSeverity } from '@ledger/domain';
import type {
  AuthenticationEvaluation,
  AuthenticationRecord,
  ReviewItem,
  SubjectDocument,
  SubjectShareCounts,
} from '@ledger/domain/projections';
import { AuthenticationFilter, AuthenticationSearch, ProjectionName, ReviewSearch, ReviewSummary } from './read-model-store.port';

/**
 * The one description of the read-model tables, which both adapters (SQLite and PostgreSQL)
 * create theirs from, and the row mapping both use: a column added here appears in both, in the
 * same place in the checksum, so the two stay mirrors of each other. Bump
 * READ_MODEL_SCHEMA_VERSION with any change: read models of another version are dropped by the
 * projector and rebuilt from the events, and refused by readers.
 */
export const READ_MODEL_SCHEMA_VERSION = 6;

/** `json` columns hold JSON text, hashed in canonical form; `bigint` holds positions and counts. */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'json';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  unique?: string[][];
  /**
   * SQLite only: `rowid` keeps a rowid table whose key is a UNIQUE constraint (large documents,
   * which WITHOUT ROWID tables handle badly); `alias` makes a one-column integer key the rowid.
   * Other tables are WITHOUT ROWID.
   */
  sqliteKey?: 'rowid' | 'alias';
}

const text = (name: string, nullable = false): ColumnSpec => ({ name, type: 'text', nullable });
const integer = (name: string, nullable = false): ColumnSpec => ({ name, type: 'integer', nullable });
const bigint = (name: string, nullable = false): ColumnSpec => ({ name, type: 'bigint', nullable });
const json = (name: string, nullable = false): ColumnSpec => ({ name, type: 'json', nullable });

export const READ_MODEL_TABLES: TableSpec[] = [
  { name: 'read_model_meta', columns: [text('key'), text('value')], primaryKey: ['key'] },
  {
    name: 'projection_checkpoints',
    columns: [text('projection'), bigint('position'), bigint('events_applied'), text('last_event_recorded_at', true)],
    primaryKey: ['projection'],
  },
  {
    name: 'subjects',
    columns: [
      text('subject_id'),
      json('document'),
      integer('passwordless'),
      integer('phishing_resistant_capable'),
      integer('highest_aal'),
      text('last_event_at'),
    ],
    primaryKey: ['subject_id'],
    sqliteKey: 'rowid',
  },
  {
    name: 'subject_applications',
    columns: [text('application_id'), text('subject_id')],
    primaryKey: ['application_id', 'subject_id'],
  },
  {
    name: 'review_items',
    columns: [
      text('item_id'),
      text('kind'),
      text('status'),
      text('subject_id'),
      text('application_id', true),
      text('channel', true),
      text('occurred_at'),
      text('stream_id'),
      bigint('stream_revision'),
      bigint('position'),
      json('detail'),
      json('actions'),
      // Version 5 (issue 16): one row per case, which every occurrence of its rule adds to.
      bigint('occurrences'),
      text('first_occurred_at'),
      text('last_occurred_at'),
      json('sources'),
      text('severity'),
      // 0 (low) to 3 (critical): the queue's first sort key.
      integer('severity_rank'),
      // When a resolved case was resolved; null while unresolved. What the summary's trend counts.
      text('resolved_at', true),
      // Version 6: the reviewer who holds the case; null while nobody does.
      text('assignee', true),
    ],
    primaryKey: ['item_id'],
  },
  {
    name: 'posture_counters',
    columns: [text('bucket'), text('application_id'), text('channel'), text('metric'), text('dimension'), bigint('count')],
    primaryKey: ['bucket', 'application_id', 'channel', 'metric', 'dimension'],
  },
  {
    // One row per successful authentication, keyed by its global position.
    name: 'authentications',
    columns: [
      bigint('position'),
      text('stream_id'),
      bigint('stream_revision'),
      text('subject_id'),
      text('occurred_at'),
      text('application_id'),
      text('channel'),
      integer('achieved_aal', true),
      integer('required_aal', true),
      text('verdict', true),
      integer('policy_version', true),
      json('detail'),
      json('evaluation', true),
    ],
    primaryKey: ['position'],
    unique: [['stream_id', 'stream_revision']],
    sqliteKey: 'alias',
  },
];

export interface IndexSpec {
  name: string;
  table: string;
  columns: string[];
}

/**
 * Indexes that serve reads only: no projection write looks rows up through them. A rebuild
 * creates them once its rows are in, which sorts each index in one pass instead of inserting
 * every row into every index as it comes.
 *
 * In SQLite every authentications index ends with the rowid (the position), so each serves the
 * keyset order (occurred_at, position) directly; PostgreSQL has no rowid, so there the position
 * is added as the last column (see `indexColumns`). Chosen with EXPLAIN QUERY PLAN (see the read
 * model's tests): time alone, and each selective equality filter; channel and minAal are
 * filtered while walking one of these. An application with a verdict has its own index: walking
 * the application's rows and dropping the other verdicts was the one filter over 50 ms at p99 in
 * the benchmarks (B7).
 */
export const READ_INDEXES: IndexSpec[] = [
  { name: 'review_items_by_age', table: 'review_items', columns: ['status', 'occurred_at', 'item_id'] },
  { name: 'review_items_by_severity', table: 'review_items', columns: ['status', 'severity_rank', 'occurred_at', 'item_id'] },
  { name: 'review_items_by_subject', table: 'review_items', columns: ['subject_id', 'status'] },
  { name: 'authentications_by_time', table: 'authentications', columns: ['occurred_at'] },
  { name: 'authentications_by_application', table: 'authentications', columns: ['application_id', 'occurred_at'] },
  { name: 'authentications_by_subject', table: 'authentications', columns: ['subject_id', 'occurred_at'] },
  { name: 'authentications_by_verdict', table: 'authentications', columns: ['verdict', 'occurred_at'] },
  { name: 'authentications_by_application_verdict', table: 'authentications', columns: ['application_id', 'verdict', 'occurred_at'] },
];

export type Dialect = 'sqlite' | 'postgres';

function columnType(column: ColumnSpec, dialect: Dialect): string {
  if (dialect === 'sqlite') return column.type === 'integer' || column.type === 'bigint' ? 'INTEGER' : 'TEXT';
  // Byte order ("C"), as SQLite compares text: the same keyset pages and the same checksum order.
  if (column.type === 'text') return 'text COLLATE "C"';
  return column.type === 'json' ? 'text' : column.type;
}

/** CREATE TABLE statements of every read-model table, for one dialect. */
export function createTablesSql(dialect: Dialect): string {
  return READ_MODEL_TABLES.map((table) => {
    const aliasKey = dialect === 'sqlite' && table.sqliteKey === 'alias';
    const lines = table.columns.map((column) => {
      const key = aliasKey && column.name === table.primaryKey[0] ? ' PRIMARY KEY' : '';
      return `  ${column.name} ${columnType(column, dialect)}${column.nullable || key ? '' : ' NOT NULL'}${key}`;
    });
    if (dialect === 'sqlite' && table.sqliteKey === 'rowid') lines.push(`  UNIQUE (${table.primaryKey.join(', ')})`);
    else if (!aliasKey) lines.push(`  PRIMARY KEY (${table.primaryKey.join(', ')})`);
    for (const unique of table.unique ?? []) lines.push(`  UNIQUE (${unique.join(', ')})`);
    const withoutRowid = dialect === 'sqlite' && table.sqliteKey === undefined ? ' WITHOUT ROWID' : '';
    return `CREATE TABLE IF NOT EXISTS ${table.name} (\n${lines.join(',\n')}\n)${withoutRowid};`;
  }).join('\n');
}

function indexColumns(index: IndexSpec, dialect: Dialect): string[] {
  return dialect === 'postgres' && index.table === 'authentications' ? [...index.columns, 'position'] : index.columns;
}

export function createIndexesSql(dialect: Dialect): string {
  return READ_INDEXES.map(
    (index) => `CREATE INDEX IF NOT EXISTS ${index.name} ON ${index.table} (${indexColumns(index, dialect).join(', ')});`,
  ).join('\n');
}

export const READ_MODEL_TABLE_NAMES = READ_MODEL_TABLES.map((table) => table.name);

function tableSpec(name: string): TableSpec {
  const table = READ_MODEL_TABLES.find((candidate) => candidate.name === name);
  if (!table) throw new Error(`no read-model table ${name}`);
  return table;
}

export function columnsOf(table: string): string[] {
  return tableSpec(table).columns.map((column) => column.name);
}

/** `INSERT INTO table (columns) VALUES (@column, ...)`, with named parameters as the column names. */
export function insertSql(table: string): string {
  const columns = columnsOf(table);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`;
}

/** Every table of each read model, every column in table order, in key order: the checksum reads exactly this. */
const CHECKSUM_SOURCES: Record<ProjectionName, Array<{ table: string; where?: string; orderBy: string[] }>> = {
  'subject-state': [
    { table: 'subjects', orderBy: ['subject_id'] },
    { table: 'subject_applications', orderBy: ['application_id', 'subject_id'] },
  ],
  'review-queue': [{ table: 'review_items', orderBy: ['item_id'] }],
  'estate-posture': [
    { table: 'posture_counters', where: 'count <> 0', orderBy: ['bucket', 'application_id', 'channel', 'metric', 'dimension'] },
  ],
  authentications: [{ table: 'authentications', orderBy: ['position'] }],
};

export const CHECKSUM_QUERIES: Record<ProjectionName, string[]> = Object.fromEntries(
  Object.entries(CHECKSUM_SOURCES).map(([name, sources]) => [
    name,
    sources.map(
      ({ table, where, orderBy }) =>
        `SELECT ${columnsOf(table).join(', ')} FROM ${table}${where ? ` WHERE ${where}` : ''} ORDER BY ${orderBy.join(', ')}`,
    ),
  ]),
) as Record<ProjectionName, string[]>;

/** Columns that hold JSON documents are hashed in canonical form, so key order never matters. */
export const JSON_COLUMNS = new Set(
  READ_MODEL_TABLES.flatMap((table) => table.columns.filter((column) => column.type === 'json').map((column) => column.name)),
);

// Rows as both adapters write and read them: column name to value.

export function subjectRow(document: SubjectDocument) {
  return {
    subject_id: document.subjectId,
    document: JSON.stringify(document),
    passwordless: document.summary.passwordless ? 1 : 0,
    phishing_resistant_capable: document.summary.phishingResistantCapable ? 1 : 0,
    highest_aal: document.summary.highestAal,
    last_event_at: document.lastEventAt,
  };
}

export interface ReviewRow {
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
  occurrences: number;
  first_occurred_at: string;
  last_occurred_at: string;
  sources: string;
  severity: string;
  severity_rank: number;
  resolved_at: string | null;
  assignee: string | null;
}

/**
 * A case row is written whole: the subject document holds the case as its occurrences and
 * actions left it, so the latest write is the truth. Same SQL in both dialects.
 */
export const REPLACE_REVIEW_ITEM = `ON CONFLICT (item_id) DO UPDATE SET ${columnsOf('review_items')
  .filter((column) => column !== 'item_id')
  .map((column) => `${column} = excluded.${column}`)
  .join(', ')}`;

export function reviewItemRow(item: ReviewItem): ReviewRow {
  return {
    item_id: item.itemId,
    kind: item.kind,
    status: item.status,
    subject_id: item.subjectId,
    application_id: item.applicationId,
    channel: item.channel,
    occurred_at: item.occurredAt,
    stream_id: item.source.stream,
    stream_revision: item.source.revision,
    position: item.source.position,
    detail: JSON.stringify(item.detail),
    actions: JSON.stringify(item.actions),
    occurrences: item.occurrences,
    first_occurred_at: item.firstOccurredAt,
    last_occurred_at: item.lastOccurredAt,
    sources: JSON.stringify(item.sources),
    severity: item.severity,
    severity_rank: reviewSeverityRank(item.severity),
    resolved_at:
      item.status === 'resolved' ? ([...item.actions].reverse().find((action) => action.action === 'resolved')?.at ?? null) : null,
    assignee: item.assignee,
  };
}

export function toReviewItem(row: ReviewRow): ReviewItem {
  return {
    itemId: row.item_id,
    kind: row.kind as ReviewItem['kind'],
    status: row.status as ReviewItem['status'],
    assignee: row.assignee,
    subjectId: row.subject_id,
    applicationId: row.application_id,
    channel: row.channel as Channel | null,
    occurredAt: row.occurred_at,
    source: { stream: row.stream_id, revision: Number(row.stream_revision), position: Number(row.position) },
    detail: JSON.parse(row.detail),
    actions: JSON.parse(row.actions),
    occurrences: Number(row.occurrences),
    firstOccurredAt: row.first_occurred_at,
    lastOccurredAt: row.last_occurred_at,
    sources: JSON.parse(row.sources),
    severity: row.severity as ReviewItem['severity'],
  };
}

export interface AuthenticationRow {
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

export function toAuthenticationRecord(row: AuthenticationRow): AuthenticationRecord {
  const detail = JSON.parse(row.detail) as AuthenticationDetail;
  return {
    subjectId: row.subject_id,
    occurredAt: row.occurred_at,
    applicationId: row.application_id,
    channel: row.channel as Channel,
    methods: detail.methods,
    sessionId: detail.sessionId,
    source: { stream: row.stream_id, revision: Number(row.stream_revision), position: Number(row.position) },
    evaluation: row.evaluation === null ? null : (JSON.parse(row.evaluation) as AuthenticationEvaluation),
  };
}

export function evaluationColumns(evaluation: AuthenticationEvaluation | null) {
  return {
    achieved_aal: evaluation?.achievedAal ?? null,
    required_aal: evaluation?.requiredAal ?? null,
    verdict: evaluation?.verdict ?? null,
    policy_version: evaluation?.policyVersion ?? null,
    evaluation: evaluation === null ? null : JSON.stringify(evaluation),
  };
}

export function authenticationRow(record: AuthenticationRecord) {
  const detail: AuthenticationDetail = { methods: record.methods, sessionId: record.sessionId };
  return {
    position: record.source.position,
    stream_id: record.source.stream,
    stream_revision: record.source.revision,
    subject_id: record.subjectId,
    occurred_at: record.occurredAt,
    application_id: record.applicationId,
    channel: record.channel,
    detail: JSON.stringify(detail),
    ...evaluationColumns(record.evaluation),
  };
}

/** The columns an evaluation sets on an authentication row committed earlier; the first verdict wins. */
export const EVALUATE_AUTHENTICATION_SQL = `UPDATE authentications
    SET achieved_aal = @achieved_aal, required_aal = @required_aal, verdict = @verdict, policy_version = @policy_version, evaluation = @evaluation
  WHERE stream_id = @stream_id AND stream_revision = @stream_revision AND evaluation IS NULL`;

/**
 * The WHERE clause and named parameters of an authentications filter. Each
 * combination of filters is one statement shape.
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

export function authenticationQuery(mode: 'page' | 'count', search: AuthenticationFilter & Partial<AuthenticationSearch>) {
  const { sql: where, parameters } = authenticationWhere(search, search.after);
  if (mode === 'count') return { sql: `SELECT count(*) AS count FROM authentications ${where}`, parameters };
  return {
    sql: `SELECT position, stream_id, stream_revision, subject_id, occurred_at, application_id, channel, detail, evaluation
            FROM authentications ${where} ORDER BY occurred_at, position LIMIT @limit`,
    parameters: { ...parameters, limit: search.limit ?? 100 },
  };
}

/**
 * The review-queue query of a search: statuses, optional filters, a keyset cursor, in one of three
 * orders. `severity-first`: the most severe first, then the oldest (issue 16); its cursor carries
 * the severity rank too, and the keyset mixes directions, so it is spelled out rather than a tuple.
 */
export function reviewItemsQuery(search: ReviewSearch) {
  const statuses = typeof search.status === 'string' ? [search.status] : [...search.status];
  const where = [`status IN (${statuses.map((_, i) => `@status${i}`).join(', ')})`];
  if (search.kind !== undefined) where.push('kind = @kind');
  if (search.applicationId !== undefined) where.push('application_id = @applicationId');
  if (search.subjectId !== undefined) where.push('subject_id = @subjectId');
  if (search.severity !== undefined) where.push('severity = @severity');
  if (search.channel !== undefined) where.push('channel = @channel');
  if (search.openedAtOrBefore !== undefined) where.push('occurred_at <= @openedAtOrBefore');
  if (search.assignee === null) where.push('assignee IS NULL');
  else if (search.assignee !== undefined) where.push('assignee = @assignee');
  const parameters: Record<string, unknown> = { limit: search.limit };
  statuses.forEach((status, i) => (parameters[`status${i}`] = status));
  if (search.kind !== undefined) parameters.kind = search.kind;
  if (search.applicationId !== undefined) parameters.applicationId = search.applicationId;
  if (search.subjectId !== undefined) parameters.subjectId = search.subjectId;
  if (search.severity !== undefined) parameters.severity = search.severity;
  if (search.channel !== undefined) parameters.channel = search.channel;
  if (search.openedAtOrBefore !== undefined) parameters.openedAtOrBefore = search.openedAtOrBefore;
  if (typeof search.assignee === 'string') parameters.assignee = search.assignee;
  if (search.after !== undefined) Object.assign(parameters, { afterOccurredAt: search.after.occurredAt, afterItemId: search.after.itemId });
  let orderBy: string;
  if (search.order === 'severity-first') {
    if (search.after !== undefined) {
      where.push(
        '(severity_rank < @afterRank OR (severity_rank = @afterRank AND (occurred_at, item_id) > (@afterOccurredAt, @afterItemId)))',
      );
      parameters.afterRank = search.after.severityRank ?? 0;
    }
    orderBy = 'severity_rank DESC, occurred_at ASC, item_id ASC';
  } else {
    const oldestFirst = search.order === 'oldest-first';
    if (search.after !== undefined) where.push(`(occurred_at, item_id) ${oldestFirst ? '>' : '<'} (@afterOccurredAt, @afterItemId)`);
    const direction = oldestFirst ? 'ASC' : 'DESC';
    orderBy = `occurred_at ${direction}, item_id ${direction}`;
  }
  return {
    sql: `SELECT ${columnsOf('review_items').join(', ')} FROM review_items WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT @limit`,
    parameters,
  };
}

/**
 * The queue's summary in two statements, the same in both dialects: per severity the unresolved
 * cases, how many are overdue (opened at or before the severity's cut-off) and the oldest; and how
 * many cases opened (or re-opened) and were resolved since each trend start.
 */
export function reviewSummaryQueries(overdueAtOrBefore: Record<ReviewSeverity, string>, since: { days7: string; days30: string }) {
  const cutoff = `CASE severity ${REVIEW_SEVERITIES.map((severity) => `WHEN '${severity}' THEN @cutoff_${severity}`).join(' ')} END`;
  const parameters: Record<string, unknown> = { since7: since.days7, since30: since.days30 };
  for (const severity of REVIEW_SEVERITIES) parameters[`cutoff_${severity}`] = overdueAtOrBefore[severity];
  return {
    bySeverity: `SELECT severity, count(*) AS open, sum(CASE WHEN occurred_at <= ${cutoff} THEN 1 ELSE 0 END) AS overdue,
                        min(occurred_at) AS oldest
                   FROM review_items WHERE status <> 'resolved' GROUP BY severity`,
    trend: `SELECT sum(CASE WHEN occurred_at >= @since7 THEN 1 ELSE 0 END) AS opened7,
                   sum(CASE WHEN occurred_at >= @since30 THEN 1 ELSE 0 END) AS opened30,
                   sum(CASE WHEN resolved_at >= @since7 THEN 1 ELSE 0 END) AS resolved7,
                   sum(CASE WHEN resolved_at >= @since30 THEN 1 ELSE 0 END) AS resolved30
              FROM review_items`,
    parameters,
  };
}

export interface ReviewSummaryRows {
  bySeverity: Array<{ severity: string; open: number | string; overdue: number | string | null; oldest: string | null }>;
  trend: {
    opened7: number | string | null;
    opened30: number | string | null;
    resolved7: number | string | null;
    resolved30: number | string | null;
  };
}

/** Both dialects' rows as one answer; PostgreSQL returns counts and sums as text. */
export function toReviewSummary(rows: ReviewSummaryRows): ReviewSummary {
  const bySeverity = Object.fromEntries(
    REVIEW_SEVERITIES.map((severity) => [severity, { open: 0, overdue: 0 }]),
  ) as ReviewSummary['bySeverity'];
  let oldest: string | null = null;
  for (const row of rows.bySeverity) {
    if (!(REVIEW_SEVERITIES as readonly string[]).includes(row.severity)) continue;
    bySeverity[row.severity as ReviewSeverity] = { open: Number(row.open), overdue: Number(row.overdue ?? 0) };
    if (row.oldest !== null && (oldest === null || row.oldest < oldest)) oldest = row.oldest;
  }
  const count = (value: number | string | null) => Number(value ?? 0);
  return {
    open: Object.values(bySeverity).reduce((n, entry) => n + entry.open, 0),
    overdue: Object.values(bySeverity).reduce((n, entry) => n + entry.overdue, 0),
    oldestOpenedAt: oldest,
    bySeverity,
    trend: {
      days7: { opened: count(rows.trend.opened7), resolved: count(rows.trend.resolved7) },
      days30: { opened: count(rows.trend.opened30), resolved: count(rows.trend.resolved30) },
    },
  };
}

export function countReviewItemsQuery(search: { status: readonly string[]; subjectId: string }) {
  const parameters: Record<string, unknown> = { subjectId: search.subjectId };
  search.status.forEach((status, i) => (parameters[`status${i}`] = status));
  return {
    sql: `SELECT count(*) AS count FROM review_items WHERE subject_id = @subjectId AND status IN (${search.status.map((_, i) => `@status${i}`).join(', ')})`,
    parameters,
  };
}

export interface ShareRow {
  application_id?: string;
  subjects: number;
  passwordless: number | null;
  phishing_resistant_capable: number | null;
}

export function toShares(row: ShareRow | undefined): SubjectShareCounts {
  return {
    subjects: Number(row?.subjects ?? 0),
    passwordless: Number(row?.passwordless ?? 0),
    phishingResistantCapable: Number(row?.phishing_resistant_capable ?? 0),
  };
}

/** The smallest string greater than every string starting with `prefix`; undefined for the empty prefix. */
export function prefixUpperBound(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}
