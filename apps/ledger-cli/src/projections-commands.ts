import { Command } from 'commander';
import { rebuildPostgresReadModels, rebuildReadModels } from '@ledger/read-models';
import { CliRuntime, integerBetween } from './cli-runtime';

/**
 * `ledger projections rebuild`: every read model from position 0 into a new
 * file, swapped in when complete. The API must be stopped: the read-model
 * lock refuses a rebuild of a file a running API writes.
 */
export function addProjectionsCommands(program: Command, runtime: CliRuntime): void {
  const { context } = runtime;
  const projections = program.command('projections').description('manage the read models');
  projections
    .command('rebuild')
    .description('rebuild every read model from position 0 into a new file, swap it in, and print content checksums')
    .option('--read-model-path <path>', 'read-model SQLite file (default: LEDGER_READ_MODEL_PATH or data/read-models.sqlite)')
    .option('--commit-every <events>', 'events projected per transaction (default 250000)', integerBetween(1, 10_000_000))
    .option('--json', 'print the result as one JSON object')
    .action(async (options: { readModelPath?: string; commitEvery?: number; json?: boolean }) => {
      const config = runtime.config();
      // In PostgreSQL (LEDGER_READ_MODELS=postgres) the rebuild fills a fresh schema and renames it over the live one.
      const postgres = config.readModels === 'postgres' && options.readModelPath === undefined;
      const readModelPath = postgres ? `postgres schema ${config.postgresSchema}` : (options.readModelPath ?? config.readModelPath);
      const result = await runtime.withStore(async (store) => {
        const progress = await runtime.progressOverPositions(store, 'rebuild');
        try {
          const rebuildOptions = { commitEvery: options.commitEvery, onProgress: (position: number) => progress.update(position) };
          return postgres
            ? await rebuildPostgresReadModels(
                store,
                { connectionString: config.postgresUrl!, schema: config.postgresSchema },
                rebuildOptions,
              )
            : await rebuildReadModels(store, readModelPath, rebuildOptions);
        } finally {
          progress.stop();
        }
      });
      if (options.json) {
        context.out(`${JSON.stringify({ readModelPath, ...result })}\n`);
        return;
      }
      const seconds = result.elapsedMs / 1000;
      const rate = seconds > 0 ? Math.round(result.eventsApplied / seconds) : result.eventsApplied;
      context.out(
        `rebuilt ${readModelPath} from position 0 to ${result.position}: ${result.eventsApplied} events in ${seconds.toFixed(2)} s (${rate} events/s)\n`,
      );
      for (const [projection, checksum] of Object.entries(result.checksums)) context.out(`checksum ${projection} ${checksum}\n`);
    });
}
