import { randomUUID } from 'node:crypto';
import {
  chainEvents,
  EMPTY_STREAM_TAIL,
  expectedRevisionAfter,
  SqliteEventStore,
  StreamNotFoundError,
  StreamTail,
} from '@ledger/event-store';

export type Fact = { type: string; data: Record<string, unknown>; time?: string; schemaVersion?: number };

async function tailOf(store: SqliteEventStore, stream: string): Promise<StreamTail> {
  try {
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return { revision: last.revision, lastHash: String(last.metadata.hash) };
  } catch (error) {
    if (error instanceof StreamNotFoundError) return EMPTY_STREAM_TAIL;
    throw error;
  }
}

/** Appends facts to a stream as the command path would: hash-chained, at the expected revision. */
export async function append(store: SqliteEventStore, stream: string, facts: Fact[]) {
  const tail = await tailOf(store, stream);
  const events = facts.map((fact, index) => ({
    id: randomUUID(),
    type: fact.type,
    data:
      fact.type === 'assurance.fallback.evaluated' || fact.type === 'assurance.authentication.evaluated'
        ? {
            ...fact.data,
            [fact.type === 'assurance.fallback.evaluated' ? 'fallback' : 'authentication']: {
              ...((fact.data.fallback ?? fact.data.authentication) as object),
              revision: tail.revision + index,
            },
          }
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

/** A fallback as ingestion records it, followed by the ledger's evaluation finding no exception. */
const fallback = (applicationId: string, time: string): Fact[] => [
  {
    type: 'assurance.fallback.used',
    data: { applicationId, channel: 'web', intendedMethod: 'passkey-synced', usedMethod: 'password', reason: 'no phone' },
    time,
  },
  {
    type: 'assurance.fallback.evaluated',
    data: {
      fallback: { revision: -1, id: 'fb', source: 'spec', time },
      applicationId,
      channel: 'web',
      usedMethod: 'password',
      covered: false,
      reason: 'no-exception-in-scope',
    },
    time,
  },
];

/** A sign-in and, for every other one, the ledger's verdict on it. */
const signIn = (applicationId: string, time: string, evaluated: boolean): Fact[] => [
  {
    type: 'assurance.authentication.succeeded',
    data: { channel: 'web', applicationId, methods: [{ kind: 'security-key', authenticatorId: 'key', amr: ['hwk'] }] },
    time,
  },
  ...(evaluated
    ? [
        {
          type: 'assurance.authentication.evaluated',
          data: {
            authentication: { revision: -1, id: 'a', source: 'spec', time },
            applicationId,
            channel: 'web',
            requiredAal: 2,
            achievedAal: 3,
            phishingResistant: true,
            amr: ['hwk'],
            acr: [],
            verdict: 'compliant',
            reasons: [],
            policyVersion: 1,
            decisionPath: [],
          },
          time,
        },
      ]
    : []),
];

/**
 * A small estate with something in every read model: subjects (ids in mixed case, so that byte
 * order matters), sign-ins with and without verdicts, fallbacks and break-glass uses that open review
 * items, posture counters, and event types the projections skip. Answers the number of events.
 */
export async function seedEstate(store: SqliteEventStore, subjects: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < subjects; i++) {
    const time = `2026-11-0${1 + (i % 5)}T1${i % 10}:00:00Z`;
    const facts: Fact[] = [
      { ...enrolled(`key-${i}`, i % 2 ? 'security-key' : 'totp', i % 2 === 1), time },
      ...signIn(i % 2 ? 'payroll' : 'crm', time, i % 3 !== 1),
    ];
    if (i % 3 === 0) facts.push(...fallback('crm', time));
    // Cases of a second severity (break-glass is critical), so the queue's severity order has something to order.
    if (i % 7 === 3) facts.push({ type: 'assurance.breakglass.used', data: { accountId: 'root', reason: 'outage' }, time });
    if (i % 4 === 0) facts.push({ type: 'vendor.custom.thing', data: { anything: i }, time });
    const name = i % 5 === 0 ? `Subject-${String(i).padStart(3, '0')}` : `subject-${String(i).padStart(3, '0')}`;
    await append(store, `subject-${name}`, facts);
    count += facts.length;
  }
  return count;
}
