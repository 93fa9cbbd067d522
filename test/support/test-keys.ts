import { writeFileSync } from 'node:fs';
import { ApiKeyRecord, mintApiKey } from '@ledger/core';
import { Role, ROLES } from '@ledger/core';

export type TestKeyName = Role | 'all';

export interface TestKeys {
  /** The full key of each test identity: one per role, and `all` holding every role. */
  keys: Record<TestKeyName, string>;
  records: ApiKeyRecord[];
}

let minted: Promise<TestKeys> | undefined;

/** scrypt is slow on purpose, so the test keys are minted once per test process. */
export function testKeys(): Promise<TestKeys> {
  minted ??= (async () => {
    const identities: Array<[TestKeyName, Role[]]> = [...ROLES.map((role): [TestKeyName, Role[]] => [role, [role]]), ['all', [...ROLES]]];
    const keys = {} as Record<TestKeyName, string>;
    const records: ApiKeyRecord[] = [];
    for (const [name, roles] of identities) {
      const { key, record } = await mintApiKey(`test-${name}`, roles);
      keys[name] = key;
      records.push(record);
    }
    return { keys, records };
  })();
  return minted;
}

export async function writeTestKeyFile(path: string): Promise<TestKeys> {
  const keys = await testKeys();
  writeFileSync(path, JSON.stringify(keys.records, null, 2));
  return keys;
}
