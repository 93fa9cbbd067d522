#!/usr/bin/env node
import 'reflect-metadata';
import { CommanderError } from 'commander';
import { buildLedgerCli, CliContext } from './ledger-cli';

const context: CliContext = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  exitCode: 0,
};

buildLedgerCli(context)
  .parseAsync(process.argv)
  .then(() => process.exit(context.exitCode))
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
