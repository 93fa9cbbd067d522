import 'reflect-metadata';
import { Command } from 'commander';
import { createEventStoreDbEventStore, EventStore, SqliteEventStore } from '@ledger/event-store';
import { rebuildReadModels } from '@ledger/read-models';
import { loadLedgerConfig } from '../config/ledger-config';

/**
 * `npm run projections:rebuild`: drops and rebuilds every read model from
 * position 0, then prints one content checksum per read model, comparable
 * with `GET /v1/projections/checksums` on a live API.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('projections:rebuild')
    .description('Rebuild every read model from position 0 into a new file, swap it in, and print content checksums.')
    .option('--read-model-path <path>', 'read-model SQLite file (default: LEDGER_READ_MODEL_PATH or data/read-models.sqlite)')
    .option('--commit-every <events>', 'events projected per transaction (default 250000)', (value) => {
      const size = Number(value);
      if (!Number.isInteger(size) || size < 1 || size > 10_000_000) throw new Error('--commit-every must be an integer from 1 to 10000000');
      return size;
    })
    .option('--json', 'print the result as one JSON object')
    .parse(argv);
  const options = program.opts<{ readModelPath?: string; commitEvery?: number; json?: boolean }>();
  const config = loadLedgerConfig();
  const readModelPath = options.readModelPath ?? config.readModelPath;
  const eventStore: EventStore =
    config.store === 'eventstoredb'
      ? createEventStoreDbEventStore(config.eventStoreConnectionString!)
      : new SqliteEventStore({ path: config.sqlitePath, busyTimeoutMs: config.sqliteBusyTimeoutMs });
  try {
    const result = await rebuildReadModels(eventStore, readModelPath, { commitEvery: options.commitEvery });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ readModelPath, ...result })}\n`);
      return;
    }
    const seconds = result.elapsedMs / 1000;
    const rate = seconds > 0 ? Math.round(result.eventsApplied / seconds) : result.eventsApplied;
    process.stdout.write(
      `rebuilt ${readModelPath} from position 0 to ${result.position}: ${result.eventsApplied} events in ${seconds.toFixed(2)} s (${rate} events/s)\n`,
    );
    for (const [projection, checksum] of Object.entries(result.checksums)) process.stdout.write(`checksum ${projection} ${checksum}\n`);
  } finally {
    await eventStore.close();
  }
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`projections:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
