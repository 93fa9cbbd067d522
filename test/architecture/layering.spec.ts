import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layering rules of eslint.config.mjs, checked on planted files: each import below is one the
 * architecture forbids (docs/architecture.md), and one allowed import shows the rules are not blanket bans.
 */
const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** Runs the project's ESLint, as `npm run lint` does, on code standing at `filePath`. */
function restrictedImports(filePath: string, code: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [ESLINT, '--stdin', '--stdin-filename', filePath, '--format', 'json'],
      { cwd: ROOT },
      (error, stdout) => {
        // ESLint exits 1 when it found problems: that is the expected outcome here, not a failure.
        if (error && error.code !== 1) return reject(error);
        const [result] = JSON.parse(stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
        resolve(result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message));
      },
    );
    child.stdin!.end(code);
  });
}

describe('layering', () => {
  it('keeps Nest out of the domain', async () => {
    const messages = await restrictedImports(
      'libs/domain/src/policy/planted.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(messages).toEqual([expect.stringContaining('the domain imports no framework')]);
  });

  it('keeps adapters and apps out of the domain', async () => {
    const code =
      "import { SqliteEventStore } from '@ledger/event-store';\nimport { x } from '../../../../apps/ledger-api/src/main';\nexport const y = [SqliteEventStore, x];\n";
    expect(await restrictedImports('libs/domain/src/planted.ts', code)).toHaveLength(2);
  });

  it('keeps apps out of adapters and the core', async () => {
    const code = "import { createLedgerApp } from '../../../apps/ledger-api/src/ledger-app';\nexport const x = createLedgerApp;\n";
    expect(await restrictedImports('libs/event-store/src/planted.ts', code)).toEqual([
      expect.stringContaining('libraries never import apps'),
    ]);
    expect(await restrictedImports('libs/core/src/planted.ts', code)).toEqual([expect.stringContaining('libraries never import apps')]);
  });

  it('keeps each app out of the others', async () => {
    const code = "import { loadLedgerConfig } from '../../ledger-api/src/config/ledger-config';\nexport const x = loadLedgerConfig;\n";
    expect(await restrictedImports('apps/ledger-cli/src/planted.ts', code)).toEqual([
      expect.stringContaining('apps/ledger-cli may not import apps/ledger-api'),
    ]);
    expect(await restrictedImports('apps/demo/src/planted.ts', code)).toEqual([
      expect.stringContaining('apps/demo may not import apps/ledger-api'),
    ]);
  });

  it('lets an app use the shared libraries', async () => {
    const code =
      "import { loadLedgerConfig } from '@ledger/core';\nimport { decide } from '@ledger/domain';\nexport const x = [loadLedgerConfig, decide];\n";
    expect(await restrictedImports('apps/ledger-cli/src/planted.ts', code)).toEqual([]);
  });
});
