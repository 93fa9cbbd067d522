import { REVIEW_ITEM_KINDS } from '@ledger/domain/projections';
import { DEMO_SUBJECTS, demoEstateOptions, seedEstate } from '../../apps/demo/src/seed-estate';
import { RunningLedger, startLedger } from '../support/ledger-test-app';

/** Raised by the ledger's own access decisions, which only `POST /v1/decisions` asks for; the demo seeds events alone. */
const DECIDED_BY_ACCESS_REQUESTS = 'denied-without-enrolled-method';

interface OpenCase {
  itemId: string;
  kind: string;
  subjectId: string;
  applicationId: string | null;
}

/**
 * The review queue `npm run demo` shows with its default estate (issue 16): one
 * a team could clear, at most one open case per subject, that still shows every
 * rule the demo is there to show. The same estate and the same HTTP seeding as
 * the demo, on the in-process server rather than a built child process.
 */
describe(`the demo's review queue with ${DEMO_SUBJECTS} subjects`, () => {
  let ledger: RunningLedger;
  let open: OpenCase[];

  beforeAll(async () => {
    ledger = await startLedger();
    await seedEstate({ url: ledger.url, emitter: ledger.auth('emitter'), reader: ledger.auth() }, demoEstateOptions(DEMO_SUBJECTS));
    open = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/reviews?status=open&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await ledger.get(query);
      if (page.status !== 200) throw new Error(`GET ${query} answered ${page.status}: ${JSON.stringify(page.body)}`);
      open.push(...(page.body.items as OpenCase[]));
      cursor = page.body.nextCursor;
    } while (cursor);
  }, 240_000);
  afterAll(() => ledger?.stop());

  it('holds at most one open case per subject', () => {
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThanOrEqual(DEMO_SUBJECTS);
  });

  it('holds no two open cases for the same subject, rule and application', () => {
    const keys = open.map((item) => `${item.subjectId} ${item.kind} ${item.applicationId ?? '-'}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('still shows every rule its events can break', () => {
    const kinds = new Set(open.map((item) => item.kind));
    expect(REVIEW_ITEM_KINDS.filter((kind) => !kinds.has(kind) && kind !== DECIDED_BY_ACCESS_REQUESTS)).toEqual([]);
  });
});
