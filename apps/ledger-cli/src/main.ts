#!/usr/bin/env node
import { runLedgerCli } from './run-ledger-cli';

runLedgerCli(process.argv.slice(2));
