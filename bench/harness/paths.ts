import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const BUILT_SERVER_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'ledger-api', 'src', 'main.js');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
/** On the same disk as the ledger's own default data, so fsync costs what it costs in production; `data/` is git-ignored. */
export const DEFAULT_WORK_DIR = join(REPO_ROOT, 'data', 'bench');
