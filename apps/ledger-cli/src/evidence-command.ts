import { ExceptionRegistry } from '@ledger/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ProjectionRunner, SqliteReadModelStore } from '@ledger/read-models';
import { buildEvidenceReport, renderEvidenceMarkdown } from '@ledger/core';
import { PolicyHistoryStore } from '@ledger/core';
import { CliRuntime, rfc3339 } from './cli-runtime';

/**
 * `ledger evidence`: the report `GET /v1/audit/evidence` answers, built by the
 * same code from the store alone. The read models it needs are projected
 * afresh in memory from the events, so it needs no running API and cannot
 * be coloured by a stale read-model file.
 */
export function addEvidenceCommand(program: Command, runtime: CliRuntime): void {
  const { context } = runtime;
  program
    .command('evidence')
    .description('NIST CSF 2.0 PR.AA and SP 800-63B-4 evidence from the ledger, each figure with the audit query that reproduces it')
    .option('--from <time>', 'count facts that happened at or after this RFC 3339 time (default: the first event)', rfc3339)
    .option('--to <time>', 'count facts that happened at or before this RFC 3339 time (default: now)', rfc3339)
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .action(async (options: { from?: string; to?: string; format: 'md' | 'json' }) => {
      if (options.from && options.to && Date.parse(options.from) > Date.parse(options.to))
        throw new InvalidArgumentError('--to must not be earlier than --from');
      const report = await runtime.withStore(async (store) => {
        const readModels = new SqliteReadModelStore({ path: ':memory:' });
        try {
          const projecting = await runtime.progressOverPositions(store, 'project');
          const runner = new ProjectionRunner(store, readModels, {
            commitEvery: 250_000,
            onProgress: (position) => projecting.update(position),
          });
          let projected: number;
          try {
            projected = (await runner.catchUp()).position;
          } finally {
            projecting.stop();
          }
          const scanning = await runtime.progressOverPositions(store, 'evidence');
          try {
            return await buildEvidenceReport(
              {
                store,
                readModels,
                policies: new PolicyHistoryStore(store),
                exceptions: new ExceptionRegistry(store),
                // Events appended after the projection are caught up before the figures are read.
                readModelsAt: async (position) => {
                  if (position > projected) projected = (await runner.catchUp()).position;
                },
              },
              { from: options.from, to: options.to, now: new Date(), onProgress: (position) => scanning.update(position) },
            );
          } finally {
            scanning.stop();
          }
        } finally {
          await readModels.close();
        }
      });
      context.out(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderEvidenceMarkdown(report));
    });
}
