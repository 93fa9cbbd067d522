import { SqliteReadModelStore } from '@ledger/read-models';
import { describeReadModelStoreContract } from './read-model-store.contract';

describeReadModelStoreContract('SQLite', () => ({
  open: async () => new SqliteReadModelStore({ path: ':memory:' }),
  cleanUp: async () => undefined,
}));
