import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chainEvents,
  EMPTY_STREAM_TAIL,
  expectedRevisionAfter,
  SqliteEventStore,
  StreamNotFoundError,
  StreamTail,
} from '@ledger/event-store';
import { ProjectionRunner } from './projection-runner';
import { acquireReadModelLock, ReadModelLockedError } from './read-model-lock';
import { ReadModelChanges } from './read-model-store.port';
import { rebuildReadModels } from './rebuild-read-models';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store';

type Fact = { type: string; data: Record<string, unknown>; time?: string; schemaVersion?: number };

function indexesOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
      .all()
      .map((row) => row.name);
  } finally {
    db.close();
  }
}

async function tailOf(store: SqliteEventStore, stream: string): Promise<StreamTail> {
  try {
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return { revision: last.revision, lastHash: String(last.metadata.hash) };
  } catch (error) {
    if (error instanceof StreamNotFoundError) return EMPTY_STREAM_TAIL;
    throw error;
  }
}

async function append(store: SqliteEventStore, stream: string, facts: Fact[]) {
  const tail = await tailOf(store, stream);
  const events = facts.map((fact, index) => ({
    id: randomUUID(),
    type: fact.type,
    // The ledger's evaluation names the fallback it follows, by revision.
    data:
      fact.type === 'assurance.fallback.evaluated'
        ? { ...fact.data, fallback: { ...(fact.data.fallback as object), revision: tail.revision + index } }
        : fact.data,
    metadata: {
      schemaVersion: fact.schemaVersion ?? 1,
      source: 'spec',
      cloudEventId: randomUUID(),
      time: fact.time ?? '2026-11-02T09:00:00Z',
    },
  }));
  return store.append(stream, chainEvents(stream, tail, events), expectedRevisionAfter(tail));
}

const enrolled = (authenticatorId: string, kind = 'security-key', phishingResistant = true): Fact => ({
  type: 'assurance.authenticator.enrolled',
  data: { authenticatorId, kind, phishingResistant, hardwareBound: phishingResistant, syncable: false, userVerification: true },
});
/** A fallback as ingestion records it: followed by the ledger's evaluation, here finding no exception. */
const fallback = (applicationId: string, time?: string): Fact[] => [
  {
    type: 'assurance.fallback.used',
    data: { applicationId, channel: 'web', intendedMethod: 'passkey-synced', usedMethod: 'password', reason: 'no phone' },
    time,
  },
  {
    type: 'assurance.fallback.evaluated',
    data: {
      fallback: { revision: -1, id: 'fb', source: 'spec', time: time ?? '2026-11-02T09:00:00Z' },
      applicationId,
      channel: 'web',
      usedMethod: 'password',
      covered: false,
      reason: 'no-exception-in-scope',
    },
    time,
  },
];
const succeeded = (applicationId: string): Fact => ({
  type: 'assurance.authentication.succeeded',
  data: { channel: 'web', applicationId, methods: [{ kind: 'security-key', amr: ['hwk'] }] },
});

async function seedEstate(store: SqliteEventStore, subjects: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < subjects; i++) {
    const facts: Fact[] = [enrolled(`key-${i}`), succeeded('payroll')];
    if (i % 3 === 0) facts.push(...fallback('crm', `2026-11-0${1 + (i % 5)}T10:00:00Z`));
    if (i % 4 === 0) facts.push({ type: 'vendor.custom.thing', data: { anything: i } });
    await append(store, `subject-s${String(i).padStart(3, '0')}`, facts);
    count += facts.length;
  }
  return count;
}

describe('ProjectionRunner', () => {
  let dir: string;
  let events: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-spec-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 20 });
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('judges an enrollment by the policy published before it, the same after a restart as on a run from 0', async () => {
    // The enrollment window as the policy sets it (governanceSettingsOf); 60 minutes instead of the default 10.
    const policy = { governance: { enrollmentReauthenticationWindowMinutes: 60 } };
    await append(events, 'policy-default', [
      { type: 'assurance.policy.published', data: { version: 2, policy, publishedAt: '2026-11-01T00:00:00Z' } },
    ]);
    const keyAt = (id: string, time: string): Fact => ({
      ...enrolled(id),
      data: { ...enrolled(id).data, userNotified: true },
      time,
      schemaVersion: 2,
    });
    const signedInAt = (revision: number, time: string): Fact[] => [
      {
        type: 'assurance.authentication.succeeded',
        data: { channel: 'web', applicationId: 'portal', methods: [{ kind: 'security-key', authenticatorId: 'key-1', amr: ['hwk'] }] },
        time,
      },
      {
        type: 'assurance.authentication.evaluated',
        data: {
          authentication: { revision, id: `a-${revision}`, source: 'spec', time },
          applicationId: 'portal',
          channel: 'web',
          requiredAal: 2,
          achievedAal: 3,
          phishingResistant: true,
          amr: ['hwk'],
          acr: [],
          verdict: 'compliant',
          reasons: [],
          policyVersion: 2,
          decisionPath: [],
        },
        time,
      },
    ];
    const proofed: Fact = {
      type: 'assurance.identity.proofed',
      data: { ial: 2, method: 'remote', evidence: ['passport'], proofedBy: 'idv' },
      time: '2026-11-02T08:00:00Z',
    };
    for (const subject of ['subject-within', 'subject-beyond'])
      await append(events, subject, [proofed, keyAt('key-1', '2026-11-02T08:01:00Z'), ...signedInAt(2, '2026-11-02T09:30:00Z')]);

    const readModels = new SqliteReadModelStore({ path: ':memory:' });
    try {
      await new ProjectionRunner(events, readModels).catchUp();
      // Appended after the first run stopped: the second run starts from the checkpoint, past the publication.
      await append(events, 'subject-within', [keyAt('key-2', '2026-11-02T10:00:00Z')]); // 30 minutes after: within 60
      await append(events, 'subject-beyond', [keyAt('key-2', '2026-11-02T11:00:00Z')]); // 90 minutes after
      await new ProjectionRunner(events, readModels).catchUp();
      const { value: cases } = await readModels.listReviewItems({
        status: 'open',
        kind: 'enrollment-below-required-assurance',
        order: 'oldest-first',
        limit: 10,
      });
      expect(cases.map((item) => [item.subjectId, item.detail.authenticatorId, item.detail.windowMinutes, item.detail.gaps])).toEqual([
        ['beyond', 'key-2', 60, ['no-authentication-in-window']],
      ]);

      const fromZero = new SqliteReadModelStore({ path: ':memory:' });
      await new ProjectionRunner(events, fromZero).catchUp();
      expect((await fromZero.checksums()).value).toEqual((await readModels.checksums()).value);
      await fromZero.close();
    } finally {
      await readModels.close();
    }
  });

  it('catches up, goes live, skips unknown types and counts every event once', async () => {
    const seeded = await seedEstate(events, 30);
    await append(events, 'policy-default', [
      { type: 'assurance.policy.published', data: { version: 1, policy: {}, publishedAt: '2026-11-01T00:00:00Z' } },
    ]);
    const readModels = new SqliteReadModelStore({ path: ':memory:' });
    const runner = new ProjectionRunner(events, readModels, { readChunkSize: 7, commitEvery: 7 });
    runner.start();
    try {
      const all = await events.readAll();
      expect(await runner.waitForPosition(all[all.length - 1].position, 5000)).toBe(true);
      const live = await append(events, 'subject-s000', fallback('crm', '2026-11-20T00:00:00Z'));
      expect(await runner.waitForPosition(live.position, 5000)).toBe(true);

      const checkpoints = await readModels.checkpoints();
      expect(checkpoints.map((c) => [c.projection, c.position, c.eventsApplied])).toEqual(
        ['authentications', 'estate-posture', 'review-queue', 'subject-state'].map((name) => [name, live.position, seeded + 3]),
      );
      const subject = (await readModels.getSubject('s000')).value!;
      expect(subject.state.recentFallbacks).toHaveLength(2);
      expect(subject.summary).toEqual({ passwordless: true, phishingResistantCapable: true, highestAal: expect.any(Number) });
      const reviews = await readModels.listReviewItems({ status: 'open', kind: 'fallback', order: 'oldest-first', limit: 100 });
      // The live fallback is s000's second in crm: it adds to that case rather than opening an eleventh.
      expect(reviews.value).toHaveLength(10);
      const repeated = reviews.value.find((item) => item.subjectId === 's000')!;
      expect(repeated.occurrences).toBe(2);
      expect(repeated.source).toEqual({ stream: 'subject-s000', revision: live.events[0].revision, position: live.events[0].position });
    } finally {
      await runner.stop();
      await readModels.close();
    }
  });

  it('resumes after the stored checkpoint without applying any event twice', async () => {
    const path = join(dir, 'read-models.sqlite');
    await seedEstate(events, 10);
    const first = new SqliteReadModelStore({ path });
    await new ProjectionRunner(events, first).catchUp();
    await first.close();

    await seedEstate(events, 12); // the same subjects again, plus two new ones
    const second = new SqliteReadModelStore({ path });
    const result = await new ProjectionRunner(events, second, { readChunkSize: 5, commitEvery: 5 }).catchUp();
    const all = await events.readAll();
    expect(result.position).toBe(all[all.length - 1].position);
    expect((await second.checkpoints())[0].eventsApplied).toBe(all.length);
    expect((await second.getSubject('s001')).value!.state.eventCount).toBe(4);
    const fresh = new SqliteReadModelStore({ path: ':memory:' });
    await new ProjectionRunner(events, fresh).catchUp();
    expect((await second.checksums()).value).toEqual((await fresh.checksums()).value);
    await Promise.all([second.close(), fresh.close()]);
  });

  it('leaves nothing of a batch whose commit failed, and recovers to the same content as a clean rebuild', async () => {
    await seedEstate(events, 40);
    const readModels = new SqliteReadModelStore({ path: join(dir, 'read-models.sqlite') });
    const realCommit = readModels.commit.bind(readModels);
    let commits = 0;
    readModels.commit = async (changes: ReadModelChanges) => {
      if (++commits === 3) {
        await realCommit(changes);
        throw new Error('simulated crash after the commit returned'); // committed, but the runner never learns it
      }
      if (commits === 5) throw new Error('simulated crash before the commit');
      return realCommit(changes);
    };
    const runner = new ProjectionRunner(events, readModels, { readChunkSize: 9, commitEvery: 9, retryDelayMs: 10 });
    runner.start();
    const all = await events.readAll();
    try {
      expect(await runner.waitForPosition(all[all.length - 1].position, 5000)).toBe(true);
      expect(commits).toBeGreaterThan(5);
    } finally {
      await runner.stop();
    }
    const clean = new SqliteReadModelStore({ path: ':memory:' });
    await new ProjectionRunner(events, clean).catchUp();
    expect((await readModels.checksums()).value).toEqual((await clean.checksums()).value);
    expect((await readModels.checkpoints())[0].eventsApplied).toBe(all.length);
    await Promise.all([readModels.close(), clean.close()]);
  });

  it('finishes a catch-up whose last chunk ends exactly at the head of the store', async () => {
    const seeded = await seedEstate(events, 13);
    expect(seeded).toBe(40);
    for (const chunk of [seeded, 8, 5]) {
      const readModels = new SqliteReadModelStore({ path: ':memory:' });
      const result = await new ProjectionRunner(events, readModels, { readChunkSize: chunk, commitEvery: chunk }).catchUp();
      expect(result.eventsApplied).toBe(seeded);
      await readModels.close();
    }
  });

  it('commits a live backlog whose last full chunk ends at the head, without waiting for another event', async () => {
    const seeded = await seedEstate(events, 13);
    expect(seeded).toBe(40);
    const readModels = new SqliteReadModelStore({ path: ':memory:' });
    // Chunks of 8 end exactly at event 40, and 40 is under commitEvery: only the wait for more may trigger the commit.
    const runner = new ProjectionRunner(events, readModels, { readChunkSize: 8, commitEvery: 1000 });
    runner.start();
    try {
      const all = await events.readAll();
      expect(await runner.waitForPosition(all[all.length - 1].position, 5000)).toBe(true);
    } finally {
      await runner.stop();
      await readModels.close();
    }
  });

  it('refuses a batch at or before the checkpoint, so an event cannot be applied twice', async () => {
    const readModels = new SqliteReadModelStore({ path: ':memory:' });
    const batch: ReadModelChanges = {
      subjects: [],
      reviewItems: [],
      postureDeltas: [
        { bucket: '2026-11-02T09', applicationId: 'a', channel: 'web', metric: 'fallbacks', dimension: 'password', delta: 1 },
      ],
      subjectApplications: [],
      checkpoint: { position: 5, recordedAt: new Date().toISOString() },
      eventsRead: 1,
    };
    await readModels.commit(batch);
    const before = await readModels.checksums();
    await expect(readModels.commit(batch)).rejects.toThrow(/refusing to apply events twice/);
    expect(await readModels.checksums()).toEqual(before);
    await readModels.close();
  });

  it('answers false when the wait for a position times out', async () => {
    const readModels = new SqliteReadModelStore({ path: ':memory:' });
    const runner = new ProjectionRunner(events, readModels);
    runner.start();
    try {
      expect(await runner.waitForPosition(10_000, 50)).toBe(false);
      const appended = await append(events, 'subject-late', [enrolled('k')]);
      expect(await runner.waitForPosition(appended.position, 5000)).toBe(true);
    } finally {
      await runner.stop();
      await readModels.close();
    }
  });
});

describe('rebuildReadModels', () => {
  let dir: string;
  let events: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-rebuild-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('swaps in a rebuilt file with the same checksums as the live read models', async () => {
    await seedEstate(events, 25);
    const path = join(dir, 'read-models.sqlite');
    const live = new SqliteReadModelStore({ path });
    const runner = new ProjectionRunner(events, live, { readChunkSize: 3, commitEvery: 3 });
    await runner.catchUp();
    const liveChecksums = (await live.checksums()).value;
    await live.close();

    const liveIndexes = indexesOf(path);

    const rebuilt = await rebuildReadModels(events, path);
    expect(rebuilt.checksums).toEqual(liveChecksums);
    // The rebuild fills its tables before it indexes them; the file it swaps in must have them all.
    expect(indexesOf(path)).toEqual(liveIndexes);
    expect(liveIndexes).toContain('authentications_by_application_verdict');
    const reopened = new SqliteReadModelStore({ path });
    expect((await reopened.checksums()).value).toEqual(liveChecksums);
    await reopened.close();
  });

  it('refuses to run while another live process holds the read-model file', async () => {
    const path = join(dir, 'read-models.sqlite');
    const lock = acquireReadModelLock(path);
    try {
      await expect(rebuildReadModels(events, path)).rejects.toBeInstanceOf(ReadModelLockedError);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const path = join(dir, 'read-models.sqlite');
    writeFileSync(`${path}.lock`, '2147483646');
    const lock = acquireReadModelLock(path);
    lock.release();
  });

  it('takes over a lock naming its own pid that it does not hold, as a restarted container finds it', async () => {
    const path = join(dir, 'read-models.sqlite');
    writeFileSync(`${path}.lock`, String(process.pid));
    const lock = acquireReadModelLock(path);
    try {
      expect(() => acquireReadModelLock(path)).toThrow(ReadModelLockedError);
    } finally {
      lock.release();
    }
  });
});
