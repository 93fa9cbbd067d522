import { runLedgerCli } from './run-ledger-cli';

/**
 * `npm run projections:rebuild` as it always was (scripts and the benchmark
 * call this file): the same as `ledger projections rebuild`.
 */
runLedgerCli(['projections', 'rebuild', ...process.argv.slice(2)]);
