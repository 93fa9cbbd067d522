import 'reflect-metadata';
import { CommanderError } from 'commander';
import { buildLedgerCli, CliContext } from './ledger-cli';

/** Runs the `ledger` command with these arguments on this process's standard streams, then exits with its code. */
export function runLedgerCli(args: string[]): void {
  const context: CliContext = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    exitCode: 0,
  };
  buildLedgerCli(context)
    .parseAsync(args, { from: 'user' })
    .then(() => process.exit(context.exitCode))
    .catch((error: unknown) => {
      if (error instanceof CommanderError) process.exit(error.exitCode);
      process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    });
}
