import { PostgresReadModelStore } from '@ledger/read-models';
import { dropSchemas, requirePostgres, TEST_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { describeReadModelStoreContract } from './read-model-store.contract';

beforeAll(requirePostgres);

describeReadModelStoreContract('PostgreSQL', () => {
  const schema = uniqueSchema('contract');
  return {
    open: async () => {
      const store = new PostgresReadModelStore({ connectionString: TEST_POSTGRES_URL, schema, role: 'projector' });
      await store.acquireWriter();
      return store;
    },
    cleanUp: () => dropSchemas(schema),
  };
});
