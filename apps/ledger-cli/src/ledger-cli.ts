import { Command, InvalidArgumentError } from 'commander';
import { ApiKeyRegistry } from '../../ledger-api/src/access/api-key-registry';
import { isRole, Role, ROLES } from '../../ledger-api/src/access/roles';

function roleList(value: string): Role[] {
  const roles = value.split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`roles must be a comma-separated list of ${ROLES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return roles as Role[];
}

function sourceList(value: string): string[] {
  return value.split(',').map((source) => source.trim()).filter(Boolean);
}

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The `ledger` command. Built as a function so tests drive it without a subprocess. */
export function buildLedgerCli(output: CliOutput, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('ledger')
    .description('Assurance Ledger command line')
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err });

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'a name for the key, recorded with every event it writes')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, roleList)
    .option('--sources <sources>', 'comma-separated CloudEvents sources an emitter key may write', sourceList)
    .option('--file <path>', 'the key file the API reads', env.LEDGER_API_KEYS_FILE ?? 'data/api-keys.json')
    .action(async (options: { name: string; roles: Role[]; sources?: string[]; file: string }) => {
      const key = await ApiKeyRegistry.createInFile(options.file, options.name, options.roles, options.sources);
      output.out(`${key}\n`);
      output.err(`created key "${options.name}" with roles ${options.roles.join(', ')} in ${options.file}; store it now, it is not shown again\n`);
    });
  return program;
}
