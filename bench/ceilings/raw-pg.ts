import pg from 'pg';
import type { Figure } from '../harness/scenario';

/** Passes of each ceiling; the median is kept so one noisy pass neither lifts nor sinks it. */
const PASSES = 3;
/** The batching the PostgreSQL read-model store uses in a rebuild: 2,000 rows per statement, 50,000 per transaction. */
const ROWS_PER_STATEMENT = 2_000;
const ROWS_PER_TRANSACTION = 50_000;
/** Rows per SELECT of the scan, walked by keyset on the primary key. */
const ROWS_PER_PAGE = 5_000;

/**
 * The authentications read-model table (libs/read-models/src/read-model-rows.ts), the widest
 * one a rebuild writes, with its primary key and unique constraint but not the query-only
 * indexes, which a rebuild also creates only after its rows are in.
 */
const TABLE_SQL = (schema: string) => `CREATE TABLE ${schema}.authentications (
  position bigint NOT NULL,
  stream_id text COLLATE "C" NOT NULL,
  stream_revision bigint NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  occurred_at text COLLATE "C" NOT NULL,
  application_id text COLLATE "C" NOT NULL,
  channel text COLLATE "C" NOT NULL,
  achieved_aal integer,
  required_aal integer,
  verdict text COLLATE "C",
  policy_version integer,
  detail text NOT NULL,
  evaluation text,
  PRIMARY KEY (position),
  UNIQUE (stream_id, stream_revision)
)`;

const COLUMNS = [
  ['position', 'bigint[]'],
  ['stream_id', 'text[]'],
  ['stream_revision', 'bigint[]'],
  ['subject_id', 'text[]'],
  ['occurred_at', 'text[]'],
  ['application_id', 'text[]'],
  ['channel', 'text[]'],
  ['achieved_aal', 'integer[]'],
  ['required_aal', 'integer[]'],
  ['verdict', 'text[]'],
  ['policy_version', 'integer[]'],
  ['detail', 'text[]'],
  ['evaluation', 'text[]'],
] as const;

type Row = Record<(typeof COLUMNS)[number][0], string | number | null>;

const APPLICATIONS = ['payroll', 'corp-vpn', 'prod-bastion', 'crm', 'wiki', 'hr-portal'];
const CHANNELS = ['web', 'vpn', 'ssh', 'mobile'];
const VERDICTS = ['compliant', 'violation', 'excepted'];

/** A row as the projection writes one for a sign-in with its verdict: the same columns, JSON with the same fields. */
function authenticationLikeRow(i: number): Row {
  const subject = `emp-${String(i % 50_000).padStart(7, '0')}`;
  const applicationId = APPLICATIONS[i % APPLICATIONS.length];
  const channel = CHANNELS[i % CHANNELS.length];
  const achievedAal = 1 + (i % 3);
  const requiredAal = 1 + ((i >> 2) % 3);
  const verdict = VERDICTS[i % VERDICTS.length];
  const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 37_000).toISOString();
  const detail = {
    methods: [{ kind: 'webauthn', authenticatorId: `authn-${(i % 80_000).toString(36).padStart(8, '0')}`, amr: ['hwk', 'user', 'pin'] }],
    sessionId: `sess-${i.toString(36).padStart(10, '0')}`,
  };
  // The fields the read model keeps of a verdict (libs/domain/src/projections/authentication-records.ts).
  const evaluation = {
    amr: ['hwk', 'user', 'pin'],
    acr: `urn:ledger:aal${achievedAal}`,
    achievedAal,
    requiredAal,
    phishingResistant: achievedAal === 3,
    verdict,
    reasons: verdict === 'compliant' ? [] : [`achieved AAL${achievedAal} below the AAL${requiredAal} ${applicationId} requires`],
    policyVersion: 3,
    decisionPath: [`application:${applicationId}`, `channel:${channel}`, 'rule:minimum-aal'],
    assuranceRulesVersion: 2,
    source: { revision: i + 1, position: i + 2 },
  };
  return {
    position: i + 1,
    stream_id: `subject-${subject}`,
    stream_revision: i,
    subject_id: subject,
    occurred_at: occurredAt,
    application_id: applicationId,
    channel,
    achieved_aal: achievedAal,
    required_aal: requiredAal,
    verdict,
    policy_version: 3,
    detail: JSON.stringify(detail),
    evaluation: JSON.stringify(evaluation),
  };
}

export interface RawPgTable {
  /** The raw insert ceiling: rows inserted per second. */
  figure: Figure;
  /** The scratch schema that holds the table the insert ceiling filled, until `dropSchema`. */
  schema: string;
  rows: number;
}

/**
 * Plain `pg` into a scratch schema: `rows` rows shaped like the authentications read model,
 * inserted with `INSERT … SELECT * FROM unnest($1::bigint[], …)` 2,000 rows a statement and
 * 50,000 a transaction, as the read-model store batches a rebuild, into a fresh table each pass.
 * Rows are built before the clock starts: the ceiling measures PostgreSQL and the driver only.
 */
export async function measureRawPgInsert(url: string, schema: string, rows: number): Promise<RawPgTable> {
  // Column arrays only, statement by statement: the row objects are not kept alongside them.
  const statements: unknown[][][] = [];
  for (let start = 0; start < rows; start += ROWS_PER_STATEMENT) {
    const slice = Array.from({ length: Math.min(ROWS_PER_STATEMENT, rows - start) }, (_, i) => authenticationLikeRow(start + i));
    statements.push(COLUMNS.map(([name]) => slice.map((row) => row[name])));
  }
  const sql = `INSERT INTO ${schema}.authentications (${COLUMNS.map(([name]) => name).join(', ')})
               SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}`).join(', ')})`;
  const statementsPerTransaction = ROWS_PER_TRANSACTION / ROWS_PER_STATEMENT;
  const client = new pg.Client({ connectionString: url, application_name: 'assurance-ledger bench ceiling' });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    const rates: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      await client.query(`DROP TABLE IF EXISTS ${schema}.authentications`);
      await client.query(TABLE_SQL(schema));
      const started = process.hrtime.bigint();
      for (let first = 0; first < statements.length; first += statementsPerTransaction) {
        await client.query('BEGIN');
        for (const values of statements.slice(first, first + statementsPerTransaction)) await client.query(sql, values);
        await client.query('COMMIT');
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      rates.push(rows / seconds);
    }
    const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.authentications`);
    if (Number(counted[0].n) !== rows) throw new Error(`raw pg insert ceiling stored ${counted[0].n} of ${rows} rows`);
    // The scan ceiling reads this table next, as a query reads a table the projector has settled.
    await client.query(`VACUUM ANALYZE ${schema}.authentications`);
    rates.sort((a, b) => a - b);
    return {
      figure: { name: 'raw pg insert ceiling (authentications-shaped rows)', value: rates[Math.floor(PASSES / 2)], unit: 'rows/s' },
      schema,
      rows,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface ScannedRow {
  position: string;
  detail: string;
  evaluation: string | null;
}

/**
 * Plain `pg` reading the insert ceiling's table back in position order, 5,000 rows per
 * `SELECT … WHERE position > $1 ORDER BY position LIMIT …` (keyset, as the authentications query
 * pages), with `JSON.parse` of its JSON columns: rows read per second.
 */
export async function measureRawPgScan(url: string, table: RawPgTable): Promise<Figure> {
  const client = new pg.Client({ connectionString: url, application_name: 'assurance-ledger bench ceiling' });
  await client.connect();
  try {
    const sql = `SELECT * FROM ${table.schema}.authentications WHERE position > $1 ORDER BY position LIMIT ${ROWS_PER_PAGE}`;
    const rates: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      let count = 0;
      let checksum = 0;
      let after = '0';
      const started = process.hrtime.bigint();
      for (;;) {
        const { rows } = await client.query<ScannedRow>(sql, [after]);
        for (const row of rows) {
          const detail = JSON.parse(row.detail);
          const evaluation = row.evaluation === null ? null : JSON.parse(row.evaluation);
          // Touch the parsed values so the work cannot be optimised away.
          checksum += (detail === null ? 0 : 1) + (evaluation === null ? 0 : 1);
          count++;
        }
        if (rows.length < ROWS_PER_PAGE) break;
        after = rows[rows.length - 1].position;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (count !== table.rows || checksum !== 2 * count) throw new Error(`raw pg scan read ${count} of ${table.rows} rows`);
      rates.push(count / seconds);
    }
    rates.sort((a, b) => a - b);
    return { name: 'raw pg scan ceiling (authentications-shaped rows)', value: rates[Math.floor(PASSES / 2)], unit: 'rows/s' };
  } finally {
    await client.end().catch(() => undefined);
  }
}
