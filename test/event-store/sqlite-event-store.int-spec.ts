import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite adapter (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
