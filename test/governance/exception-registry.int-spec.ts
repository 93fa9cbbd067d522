import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExceptionRegistry } from '@ledger/core';
import { SqliteEventStore } from '@ledger/event-store';

/** An exception request as its stream starts, appended straight to the store as another process would. */
async function requestException(store: SqliteEventStore, exceptionId: string): Promise<void> {
  await store.append(
    `exception-${exceptionId}`,
    [
      {
        id: randomUUID(),
        type: 'assurance.exception.requested',
        data: {
          exceptionId,
          scope: { applicationId: 'legacy-vpn' },
          allowedMethods: ['totp'],
          justification: 'VPN cannot do FIDO2 yet',
          requester: 'helpdesk',
          requestedAt: '2026-12-01T08:00:00.000Z',
          requestedExpiresAt: '2026-12-31T00:00:00.000Z',
          renewalCount: 0,
          policyVersion: 1,
        },
        metadata: { schemaVersion: 1 },
      },
    ],
    'no_stream',
  );
}

describe('the exception registry (SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-exception-registry-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 50 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees every exception appended before a call, by any writer', async () => {
    const registry = new ExceptionRegistry(store);
    expect((await registry.current()).catalog.exceptions.size).toBe(0);
    await requestException(store, 'exc-1');
    expect([...(await registry.current()).catalog.exceptions.keys()]).toEqual(['exc-1']);
  });

  it('serves a burst of 50 concurrent callers with a few store reads, not one each, each seeing what was appended before it called', async () => {
    const registry = new ExceptionRegistry(store);
    await registry.current();
    const readsBefore = registry.readCount();
    const seen: number[] = [];
    const calls: Array<Promise<void>> = [];
    for (let index = 0; index < 50; index++) {
      if (index === 25) await requestException(store, 'exc-mid-burst');
      const expected = index >= 25 ? 1 : 0;
      calls.push(
        registry.current().then(({ catalog }) => {
          seen.push(catalog.exceptions.size >= expected ? 1 : 0);
        }),
      );
    }
    await Promise.all(calls);
    expect(seen).toEqual(Array(50).fill(1));
    expect(registry.readCount() - readsBefore).toBeLessThanOrEqual(3);
  });

  it('answers later callers after a failed read: one failure does not wedge the queue', async () => {
    const registry = new ExceptionRegistry(store);
    const headPosition = store.headPosition.bind(store);
    let failures = 1;
    store.headPosition = async () => {
      if (failures-- > 0) throw new Error('store unavailable for a moment');
      return headPosition();
    };
    await expect(registry.current()).rejects.toThrow('store unavailable');
    await requestException(store, 'exc-after-failure');
    expect([...(await registry.current()).catalog.exceptions.keys()]).toEqual(['exc-after-failure']);
  });
});
