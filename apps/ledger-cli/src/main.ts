#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildLedgerCli } from './ledger-cli';

buildLedgerCli({ out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
