import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ProjectionRunner, ReadModelChanges, ReadModelStore, SqliteReadModelStore } from '@ledger/read-models';
import { seedEstate } from './support/seeded-events';
import type { ReviewItem } from '@ledger/domain/projections';
import { REVIEW_SEVERITIES } from '@ledger/domain';

export interface ReadModelStoreUnderTest {
  /** A fresh, empty store that may write (the projector's). */
  open(): Promise<ReadModelStore>;
  /** Removes whatever `open` created. */
  cleanUp(): Promise<void>;
}

const SUBJECTS = 40;

/** The message a promise fails with, or `resolved`: a driver's own error class need not be this realm's Error. */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return String((error as { message?: unknown })?.message ?? error);
  }
}

/** Everything a caller of the port can see, read through the port. */
/** Cut-offs inside the seeded estate's days, so some cases fall on each side. */
const SUMMARY_QUERY = {
  overdueAtOrBefore: {
    critical: '2026-11-05T00:00:00.000Z',
    high: '2026-11-04T00:00:00.000Z',
    medium: '2026-11-03T00:00:00.000Z',
    low: '2026-11-01T00:00:00.000Z',
  },
  since: { days7: '2026-11-04T00:00:00.000Z', days30: '2026-11-02T00:00:00.000Z' },
};

async function everythingVisible(store: ReadModelStore) {
  const now = new Date('2026-11-10T00:00:00Z');
  return {
    checkpoints: await store.checkpoints(),
    subjects: await store.searchSubjects({ prefix: '', limit: 1000 }),
    firstPage: await store.searchSubjects({ prefix: 's', limit: 3 }),
    afterPage: await store.searchSubjects({ prefix: 'S', after: 'Subject-000', limit: 3 }),
    subject: await store.getSubject('subject-007'),
    reviewsOld: await store.listReviewItems({ status: ['open', 'acknowledged'], order: 'oldest-first', limit: 5 }),
    reviewsNew: await store.listReviewItems({ status: 'open', order: 'newest-first', limit: 5, applicationId: 'crm' }),
    reviewsBySeverity: await store.listReviewItems({ status: 'open', order: 'severity-first', limit: 5 }),
    reviewsMedium: await store.listReviewItems({ status: 'open', order: 'oldest-first', severity: 'medium', limit: 5 }),
    reviewsWeb: await store.listReviewItems({ status: 'open', order: 'oldest-first', channel: 'web', limit: 5 }),
    reviewsAged: await store.listReviewItems({
      status: 'open',
      order: 'oldest-first',
      openedAtOrBefore: '2026-11-03T00:00:00.000Z',
      limit: 5,
    }),
    summary: await store.reviewSummary(SUMMARY_QUERY),
    reviewCount: await store.countReviewItems({ status: ['open'], subjectId: 'subject-003' }),
    openCounts: await store.openReviewCounts(),
    posture: await store.posture({}, now),
    postureWindow: await store.posture({ fromBucket: '2026-11-02T00', toBucket: '2026-11-04T00' }, now),
    authentications: await store.listAuthentications({ limit: 7 }),
    authenticationsAfter: await store.listAuthentications({
      limit: 5,
      applicationId: 'payroll',
      after: { occurredAt: '2026-11-02T10:00:00Z', position: 0 },
    }),
    unevaluated: await store.countAuthentications({ verdict: 'unevaluated' }),
    compliantAal: await store.countAuthentications({
      verdict: 'compliant',
      minAal: 3,
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-03T23:59:59Z',
    }),
    checksums: await store.checksums(),
  };
}

/**
 * The read-model store port's contract, run on each adapter: both must answer every query the
 * same way for the same events, commit each batch with its checkpoint or not at all, and refuse
 * to apply an event twice. The reference is SQLite's in-memory store, fed the same events.
 */
export function describeReadModelStoreContract(name: string, underTest: () => ReadModelStoreUnderTest) {
  describe(`the read-model store contract on ${name}`, () => {
    let dir: string;
    let events: SqliteEventStore;
    let subject: ReadModelStoreUnderTest;
    let store: ReadModelStore;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'read-model-contract-'));
      events = new SqliteEventStore({ path: join(dir, 'events.sqlite'), livePollIntervalMs: 20 });
      await seedEstate(events, SUBJECTS);
    });
    afterAll(async () => {
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      subject = underTest();
      store = await subject.open();
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanUp();
    });

    async function reference(commitEvery = 10_000): Promise<ReadModelStore> {
      const sqlite = new SqliteReadModelStore({ path: ':memory:' });
      await new ProjectionRunner(events, sqlite, { commitEvery }).catchUp();
      return sqlite;
    }

    it('starts empty, every read model before position 0', async () => {
      expect((await store.checkpoints()).map((c) => [c.projection, c.position, c.eventsApplied])).toEqual([
        ['authentications', -1, 0],
        ['estate-posture', -1, 0],
        ['review-queue', -1, 0],
        ['subject-state', -1, 0],
      ]);
      expect(await store.openReviewCounts()).toEqual({ position: -1, value: {} });
      expect((await store.searchSubjects({ prefix: '', limit: 10 })).value).toEqual([]);
    });

    it('answers every query as the SQLite reference does for the same events, with the same checksums', async () => {
      const sqlite = await reference();
      // Small batches here: subjects, counters and verdicts are carried across commits.
      const result = await new ProjectionRunner(events, store, { commitEvery: 13, readChunkSize: 13 }).catchUp();
      expect(result.eventsApplied).toBeGreaterThan(SUBJECTS * 2);
      const expected = await everythingVisible(sqlite);
      const actual = await everythingVisible(store);
      await sqlite.close();
      // Not vacuous: the estate fills every read model.
      expect(expected.subjects.value).toHaveLength(SUBJECTS);
      expect(expected.reviewsOld.value.length).toBeGreaterThan(0);
      expect(expected.authentications.value.length).toBe(7);
      expect(expected.unevaluated.value).toBeGreaterThan(0);
      expect(expected.afterPage.value.map((s) => s.subjectId)).toEqual(['Subject-005', 'Subject-010', 'Subject-015']);
      // Byte order, as SQLite compares: upper case before lower case.
      expect(actual.subjects.value[0].subjectId).toBe('Subject-000');
      expect(actual).toEqual(expected);
    });

    it('pages the queue most severe first, then oldest, with a keyset cursor that carries the severity', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const all = (await store.listReviewItems({ status: ['open', 'acknowledged'], order: 'oldest-first', limit: 10_000 })).value;
      const rank = (item: ReviewItem) => REVIEW_SEVERITIES.indexOf(item.severity);
      const expected = [...all]
        .sort((a, b) => rank(b) - rank(a) || a.occurredAt.localeCompare(b.occurredAt) || (a.itemId < b.itemId ? -1 : 1))
        .map((item) => item.itemId);
      const paged: string[] = [];
      let after: { occurredAt: string; itemId: string; severityRank: number } | undefined;
      for (;;) {
        const page = (await store.listReviewItems({ status: ['open', 'acknowledged'], order: 'severity-first', after, limit: 4 })).value;
        if (page.length === 0) break;
        paged.push(...page.map((item) => item.itemId));
        const last = page[page.length - 1];
        after = { occurredAt: last.occurredAt, itemId: last.itemId, severityRank: rank(last) };
      }
      expect(paged).toEqual(expected);
      // Not vacuous: the estate raises cases of more than one severity.
      expect(new Set(all.map((item) => item.severity)).size).toBeGreaterThan(1);
    });

    it('filters the queue by channel and by the time a case opened', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const all = (await store.listReviewItems({ status: 'open', order: 'oldest-first', limit: 10_000 })).value;
      const web = (await store.listReviewItems({ status: 'open', order: 'oldest-first', channel: 'web', limit: 10_000 })).value;
      expect(web.map((item) => item.itemId)).toEqual(all.filter((item) => item.channel === 'web').map((item) => item.itemId));
      const cutoff = '2026-11-03T00:00:00.000Z';
      const aged = (await store.listReviewItems({ status: 'open', order: 'oldest-first', openedAtOrBefore: cutoff, limit: 10_000 })).value;
      expect(aged.map((item) => item.itemId)).toEqual(all.filter((item) => item.occurredAt <= cutoff).map((item) => item.itemId));
      // Not vacuous: each filter keeps some cases and leaves some out.
      expect([web.length, aged.length].every((n) => n > 0 && n < all.length)).toBe(true);
    });

    it('filters the queue by the reviewer who holds a case, and by cases nobody holds', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const all = (await store.listReviewItems({ status: 'open', order: 'oldest-first', limit: 10_000 })).value;
      const [taken] = all;
      const position = (await store.checksums()).position;
      const takeAction = { action: 'assigned', by: 'rita', at: '2026-11-05T00:00:00.000Z', position: position + 1 } as const;
      await store.commit({
        subjects: [],
        reviewItems: [{ ...taken, assignee: 'rita', actions: [...taken.actions, takeAction] }],
        postureDeltas: [],
        subjectApplications: [],
        checkpoint: { position: position + 1, recordedAt: takeAction.at },
        eventsRead: 1,
      });
      const held = (await store.listReviewItems({ status: 'open', order: 'oldest-first', assignee: 'rita', limit: 10_000 })).value;
      expect(held.map((item) => [item.itemId, item.assignee])).toEqual([[taken.itemId, 'rita']]);
      const nobodys = (await store.listReviewItems({ status: 'open', order: 'oldest-first', assignee: null, limit: 10_000 })).value;
      expect(nobodys.map((item) => item.itemId)).toEqual(all.slice(1).map((item) => item.itemId));
      expect((await store.listReviewItems({ status: 'open', order: 'oldest-first', assignee: 'sam', limit: 10 })).value).toEqual([]);
    });

    it('summarises the queue: unresolved and overdue by severity, the oldest, and the opened and resolved trend', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const [item] = (await store.listReviewItems({ status: 'open', order: 'oldest-first', limit: 1 })).value;
      const position = (await store.checksums()).position;
      // One case resolved inside the 7-day trend, so the resolved counts are not vacuous.
      const resolvedAt = '2026-11-05T00:00:00.000Z';
      const resolution = {
        action: 'resolved',
        by: 'spec',
        at: resolvedAt,
        outcome: 'remediated',
        note: 'spec',
        position: position + 1,
      } as const;
      await store.commit({
        subjects: [],
        reviewItems: [{ ...item, status: 'resolved', actions: [resolution] }],
        postureDeltas: [],
        subjectApplications: [],
        checkpoint: { position: position + 1, recordedAt: resolvedAt },
        eventsRead: 1,
      });
      const every = (
        await store.listReviewItems({ status: ['open', 'acknowledged', 'escalated', 'resolved'], order: 'oldest-first', limit: 10_000 })
      ).value;
      const unresolved = every.filter((candidate) => candidate.status !== 'resolved');
      const overdue = (candidate: ReviewItem) => candidate.occurredAt <= SUMMARY_QUERY.overdueAtOrBefore[candidate.severity];
      const { value: summary } = await store.reviewSummary(SUMMARY_QUERY);
      expect(summary).toEqual({
        open: unresolved.length,
        overdue: unresolved.filter(overdue).length,
        oldestOpenedAt: unresolved.map((candidate) => candidate.occurredAt).sort()[0],
        bySeverity: Object.fromEntries(
          REVIEW_SEVERITIES.map((severity) => {
            const of = unresolved.filter((candidate) => candidate.severity === severity);
            return [severity, { open: of.length, overdue: of.filter(overdue).length }];
          }),
        ),
        trend: {
          days7: { opened: every.filter((c) => c.occurredAt >= SUMMARY_QUERY.since.days7).length, resolved: 1 },
          days30: { opened: every.filter((c) => c.occurredAt >= SUMMARY_QUERY.since.days30).length, resolved: 1 },
        },
      });
      expect(summary.overdue).toBeGreaterThan(0);
      expect(summary.overdue).toBeLessThan(summary.open);
    });

    it('commits a batch with its checkpoint or not at all, and refuses to apply events twice', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const before = await store.checksums();
      const { value: document } = await store.getSubject('subject-001');
      const replay: ReadModelChanges = {
        subjects: [{ ...document!, subjectId: 'subject-new' }],
        reviewItems: [],
        postureDeltas: [],
        subjectApplications: [{ subjectId: 'subject-new', applicationId: 'crm' }],
        checkpoint: { position: before.position, recordedAt: '2026-11-02T09:00:00.000Z' },
        eventsRead: 1,
      };
      expect(await failureOf(store.commit(replay))).toMatch(/refusing to apply events twice/);
      expect(await store.checksums()).toEqual(before);

      // A batch that fails half-way (an authentication row that exists already) leaves the checkpoint where it was.
      const [existing] = (await store.listAuthentications({ limit: 1 })).value;
      expect(
        await failureOf(
          store.commit({ ...replay, authentications: [existing], checkpoint: { ...replay.checkpoint, position: before.position + 1 } }),
        ),
      ).toMatch(/UNIQUE constraint failed|duplicate key/);
      expect(await store.checksums()).toEqual(before);
      expect((await store.getSubject('subject-new')).value).toBeUndefined();

      // The same batch past the checkpoint goes in whole.
      await store.commit({ ...replay, checkpoint: { ...replay.checkpoint, position: before.position + 1 } });
      expect((await store.getSubject('subject-new')).value?.subjectId).toBe('subject-new');
      expect((await store.checkpoints()).every((c) => c.position === before.position + 1)).toBe(true);
    });

    it('writes a case whole over its row, and keeps the first verdict on an authentication', async () => {
      const sqlite = await reference();
      await new ProjectionRunner(events, store).catchUp();
      const [item] = (await store.listReviewItems({ status: 'open', order: 'oldest-first', limit: 1 })).value;
      const [unevaluated] = (await store.listAuthentications({ verdict: 'unevaluated', limit: 1 })).value;
      const verdict = (aal: number) => ({
        stream: unevaluated.source.stream,
        revision: unevaluated.source.revision,
        evaluation: { achievedAal: aal, requiredAal: 2, verdict: 'compliant', policyVersion: 1 } as any,
      });
      const action = (n: number) => ({ action: `note-${n}`, at: `2026-11-0${n}T00:00:00Z`, by: 'spec', position: n }) as any;
      const later = { stream: item.source.stream, revision: item.source.revision + 100, position: item.source.position + 100 };
      // The case as the projection leaves it after an action and one more occurrence: every column changes.
      const grown: ReviewItem = {
        ...item,
        status: 'acknowledged',
        channel: 'vpn',
        occurrences: item.occurrences + 1,
        lastOccurredAt: '2026-11-09T00:00:00.000Z',
        source: later,
        sources: [...item.sources, later],
        detail: { grown: true },
        actions: [action(1)],
      };
      for (const target of [store, sqlite]) {
        const position = (await target.checksums()).position;
        await target.commit({
          subjects: [],
          reviewItems: [grown],
          postureDeltas: [],
          subjectApplications: [],
          authenticationEvaluations: [verdict(2), verdict(3)],
          checkpoint: { position: position + 1, recordedAt: '2026-11-09T00:00:00.000Z' },
          eventsRead: 1,
        });
      }
      expect((await store.getReviewItem(item.itemId)).value).toEqual(grown);
      expect(
        (await store.listReviewItems({ status: 'open', order: 'oldest-first', limit: 1000 })).value.map((i) => i.itemId),
      ).not.toContain(item.itemId);
      const evaluated = (await store.listAuthentications({ subjectId: unevaluated.subjectId, limit: 10 })).value.find(
        (row) => row.source.position === unevaluated.source.position,
      );
      expect(evaluated?.evaluation?.achievedAal).toBe(2);
      expect((await store.checksums()).value).toEqual((await sqlite.checksums()).value);
      await sqlite.close();
    });

    it('drops everything on reset, so the next run starts from position 0 and reaches the same content', async () => {
      await new ProjectionRunner(events, store).catchUp();
      const first = await store.checksums();
      await store.reset();
      expect((await store.checkpoints()).every((c) => c.position === -1 && c.eventsApplied === 0)).toBe(true);
      expect((await store.searchSubjects({ prefix: '', limit: 10 })).value).toEqual([]);
      await new ProjectionRunner(events, store).catchUp();
      expect(await store.checksums()).toEqual(first);
    });
  });
}
