import pg from 'pg';
import type { EventStore } from '@ledger/event-store';
import { ReadModelLockedError } from '../read-model-lock';
import { fillFromEvents, RebuildOptions, RebuildResult } from '../rebuild-read-models';
import { assertSchemaName, PostgresReadModelStore, projectorLockName } from './postgres-read-model-store';

export interface PostgresReadModelTarget {
  connectionString: string;
  /** The live schema, which the rebuild replaces. */
  schema: string;
}

/**
 * Rebuilds every read model from position 0 into a fresh schema, then swaps it in with one
 * rename in one transaction, as the SQLite rebuild swaps its file: readers see the old read
 * models or the new ones, never a mix. It holds the schema's advisory lock throughout, so it
 * refuses to run while a projector writes the same schema; if it fails half-way the live schema
 * is untouched.
 */
export async function rebuildPostgresReadModels(
  eventStore: EventStore,
  target: PostgresReadModelTarget,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  assertSchemaName(target.schema);
  const buildSchema = `${target.schema.slice(0, 52)}_rebuilding`;
  const retiredSchema = `${target.schema.slice(0, 55)}_retired`;
  const control = new pg.Client({ connectionString: target.connectionString, application_name: 'assurance-ledger rebuild' });
  await control.connect();
  try {
    const { rows } = await control.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
      projectorLockName(target.schema),
    ]);
    if (!rows[0].locked) {
      throw new ReadModelLockedError(
        `read models in schema ${target.schema} are being written by a projector; stop it first (see docs/projections.md)`,
      );
    }
    await control.query(`DROP SCHEMA IF EXISTS ${buildSchema} CASCADE`);
    const readModels = new PostgresReadModelStore({
      connectionString: target.connectionString,
      schema: buildSchema,
      role: 'projector',
      scratch: true,
    });
    let result: RebuildResult;
    try {
      // Large enough to keep the commits few, small enough that one batch's rows stay well within memory.
      result = await fillFromEvents(eventStore, readModels, options, 50_000);
    } finally {
      await readModels.close();
    }
    await control.query('BEGIN');
    try {
      await control.query(`DROP SCHEMA IF EXISTS ${retiredSchema} CASCADE`);
      const live = await control.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target.schema]);
      if (live.rowCount) await control.query(`ALTER SCHEMA ${target.schema} RENAME TO ${retiredSchema}`);
      await control.query(`ALTER SCHEMA ${buildSchema} RENAME TO ${target.schema}`);
      await control.query(`DROP SCHEMA IF EXISTS ${retiredSchema} CASCADE`);
      await control.query('COMMIT');
    } catch (error) {
      await control.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return result;
  } catch (error) {
    await control.query(`DROP SCHEMA IF EXISTS ${buildSchema} CASCADE`).catch(() => undefined);
    throw error;
  } finally {
    // Ending the session releases the lock.
    await control.end().catch(() => undefined);
  }
}
