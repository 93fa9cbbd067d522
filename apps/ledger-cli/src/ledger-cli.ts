import { Command, InvalidArgumentError, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import {
  EventStore,
  readAllPaged,
  readStreamPaged,
  RecordedEvent,
  StreamNotFoundError,
  verifyAllStreams,
  verifyStreamChain,
} from '@ledger/event-store';
import { subjectStream } from '@ledger/domain';
import { ApiKeyRegistry } from '@ledger/core';
import { isRole, Role, ROLES } from '@ledger/core';
import { loadLedgerConfig } from '@ledger/core';
import { ExportFormat, exportLines } from '@ledger/core';
import { CliContext, CliRuntime, rfc3339 } from './cli-runtime';
import { addEvidenceCommand } from './evidence-command';
import { addPolicyCommands } from './policy-commands';
import { addProjectionsCommands } from './projections-commands';
import { addStateCommand } from './state-command';

export type { CliContext } from './cli-runtime';

function roleList(value: string): Role[] {
  const roles = value
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `roles must be a comma-separated list of ${ROLES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return roles as Role[];
}

function sourceList(value: string): string[] {
  return value
    .split(',')
    .map((source) => source.trim())
    .filter(Boolean);
}

/**
 * The `ledger` command. It opens the configured store directly, with the same
 * modules the API uses. Built as a function so tests drive it in-process.
 */
export function buildLedgerCli(context: CliContext): Command {
  const program = new Command('ledger')
    .description(
      'Assurance Ledger command line: works on the configured store (LEDGER_STORE, LEDGER_SQLITE_PATH, EVENTSTORE_CONNECTION_STRING)',
    )
    .exitOverride()
    .configureOutput({ writeOut: context.out, writeErr: context.err });

  const runtime = new CliRuntime(context);
  const withStore = <T>(work: (store: EventStore) => Promise<T>) => runtime.withStore(work);

  async function* withProgress(store: EventStore, label: string, events: AsyncIterable<RecordedEvent>): AsyncGenerator<RecordedEvent> {
    const progress = await runtime.progressOverPositions(store, label);
    try {
      for await (const event of events) {
        progress.update(event.position);
        yield event;
      }
    } finally {
      progress.stop();
    }
  }

  program
    .command('verify')
    .description('recompute hash chains; exits 1 when one is broken')
    .option('--stream <stream>', 'verify one stream instead of all')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream?: string; json?: boolean }) => {
      const result = await withStore(async (store) =>
        options.stream
          ? verifyStreamChain(options.stream, readStreamPaged(store, options.stream))
          : verifyAllStreams(withProgress(store, 'verify', readAllPaged(store))),
      );
      if (options.json) context.out(JSON.stringify(result, null, 2) + '\n');
      else {
        const checked =
          'streamsChecked' in result
            ? `${result.streamsChecked} streams, ${result.eventsChecked} events`
            : `${result.streamId}: ${result.eventsChecked} events`;
        context.out(result.valid ? `chain valid: ${checked}\n` : `CHAIN BROKEN: ${checked}\n`);
        if (result.firstBreak) {
          const b = result.firstBreak;
          context.out(
            `first break: stream ${b.streamId} revision ${b.revision} (${b.reason})\n  expected ${b.expectedHash}\n  actual   ${b.actualHash ?? '(none)'}\n`,
          );
        }
      }
      if (!result.valid) context.exitCode = 1;
    });

  program
    .command('export')
    .description('write history as NDJSON: CloudEvents (jsonl) or OCSF records (ocsf)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'ocsf']).makeOptionMandatory())
    .option('--from <time>', 'only events that happened at or after this RFC 3339 time', rfc3339)
    .option('--to <time>', 'only events that happened at or before this RFC 3339 time', rfc3339)
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--pseudonymise', 'replace IP addresses with a keyed hash (needs LEDGER_PSEUDONYMISATION_KEY)')
    .action(async (options: { format: ExportFormat; from?: string; to?: string; out?: string; pseudonymise?: boolean }) => {
      const config = loadLedgerConfig(context.env);
      if (options.pseudonymise && !config.pseudonymisationKey)
        throw new InvalidArgumentError('--pseudonymise needs LEDGER_PSEUDONYMISATION_KEY');
      await withStore(async (store) => {
        const file = options.out ? createWriteStream(options.out) : undefined;
        const lines = exportLines(withProgress(store, 'export', readAllPaged(store)), {
          format: options.format,
          from: options.from ? new Date(options.from) : undefined,
          to: options.to ? new Date(options.to) : undefined,
          pseudonymisationKey: options.pseudonymise ? config.pseudonymisationKey : undefined,
          productVersion: config.productVersion,
        });
        let count = 0;
        for await (const line of lines) {
          count++;
          if (!file) context.out(line);
          else if (!file.write(line)) await once(file, 'drain');
        }
        if (file) {
          file.end();
          await once(file, 'finish');
        }
        context.err(
          `exported ${count} ${options.format === 'ocsf' ? 'OCSF records' : 'events'}${options.out ? ` to ${options.out}` : ''}\n`,
        );
      });
    });

  program
    .command('history')
    .description("a subject's events, oldest first")
    .argument('<subject>', 'subject id')
    .option('--json', 'print the events as JSON lines')
    .action(async (subject: string, options: { json?: boolean }) => {
      await withStore(async (store) => {
        try {
          for await (const event of readStreamPaged(store, subjectStream(subject))) {
            if (options.json) context.out(JSON.stringify(event) + '\n');
            else
              context.out(
                `${String(event.revision).padStart(6)}  ${String(event.metadata.time)}  ${event.type}  ${String(event.metadata.source)}\n`,
              );
          }
        } catch (error) {
          if (!(error instanceof StreamNotFoundError)) throw error;
          context.err(`subject ${subject} has no events\n`);
          context.exitCode = 1;
        }
      });
    });

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'a name for the key, recorded with every event it writes')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, roleList)
    .option('--sources <sources>', 'comma-separated CloudEvents sources an emitter key may write', sourceList)
    .option('--file <path>', 'the key file the API reads', context.env.LEDGER_API_KEYS_FILE ?? 'data/api-keys.json')
    .action(async (options: { name: string; roles: Role[]; sources?: string[]; file: string }) => {
      const key = await ApiKeyRegistry.createInFile(options.file, options.name, options.roles, options.sources);
      context.out(`${key}\n`);
      context.err(
        `created key "${options.name}" with roles ${options.roles.join(', ')} in ${options.file}; store it now, it is not shown again\n`,
      );
    });

  addStateCommand(program, runtime);
  addPolicyCommands(program, runtime);
  addProjectionsCommands(program, runtime);
  addEvidenceCommand(program, runtime);
  return program;
}
