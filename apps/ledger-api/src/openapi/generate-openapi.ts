import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintApiKey } from '@ledger/core';
import { loadLedgerConfig } from '@ledger/core';
import { createLedgerApp } from '../ledger-app';
import { openApiJson } from './openapi-document';

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_FILE = join('docs', 'openapi.json');

/**
 * The document as `npm run openapi` writes it and the staleness test expects
 * it: the app is built on a throwaway store, with a throwaway key so that no
 * bootstrap keys are made, and never listens. The document does not depend on data.
 */
export async function generateOpenApiJson(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const { record } = await mintApiKey('openapi', ['admin']);
  const app = await createLedgerApp(
    loadLedgerConfig({
      LEDGER_SQLITE_PATH: join(dir, 'events.sqlite'),
      LEDGER_READ_MODEL_PATH: join(dir, 'read-models.sqlite'),
      LEDGER_API_KEYS_FILE: join(dir, 'api-keys.json'),
      LEDGER_API_KEYS: JSON.stringify([record]),
      LEDGER_LOG_LEVEL: 'error',
      LEDGER_CHECKPOINT_INTERVAL_MS: '0',
    }),
  );
  try {
    return openApiJson(app);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
