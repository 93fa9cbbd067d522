import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import {
  CommandPath,
  Decision,
  DuplicateEventIdError,
  EVENT_STORE,
  EventStore,
  EventToAppend,
  RecordedEvent,
  StreamState,
} from '@ledger/event-store';
import {
  CoverageCandidate,
  currentSchemaVersion,
  decide,
  DomainRuleViolation,
  evolve,
  exceptionsRelevantTo,
  PolicyHistory,
  SubjectEvent,
  SubjectState,
  subjectStream,
} from '@ledger/domain';
import { LedgerConflictError } from '@ledger/core';
import { eventIdFor } from '@ledger/core';
import { ledgerEventToAppend } from '@ledger/core';
import { PolicyHistoryStore } from '@ledger/core';
import { SubjectStreams } from '../../shared/subject-streams';
import { ExceptionRegistry } from '@ledger/core';
import { IncomingCloudEvent } from './cloud-event.dto';
import { refuseReservedSources } from './event-boundary';
import { RecordedEventResult, RecordEventsCommand } from './record-events.command';
import { WriteContext } from '@ledger/core';

export { eventIdFor };

const JUDGED_AGAINST_EXCEPTIONS = new Set(['assurance.fallback.used', 'assurance.authentication.succeeded']);

interface PreparedEvent {
  index: number;
  incoming: IncomingCloudEvent;
  eventId: string;
  streamId: string;
  contentDigest: string;
  toAppend: EventToAppend;
}

/** What one subject stream's part of a batch came to: its new events, and those already recorded. */
interface StreamPlan {
  fresh: PreparedEvent[];
  /** Where each fresh event sits in what the stream appends: right after each authentication comes the ledger's verdict on it. */
  appendIndexOf: Map<PreparedEvent, number>;
  duplicates: Array<{ item: PreparedEvent; stored: RecordedEvent }>;
  conflicts: PreparedEvent[];
}

/** Everything the emitter sent counts as content: a retry must be identical. */
function contentDigestOf(event: IncomingCloudEvent): string {
  return createHash('sha256').update(canonicalize(event)!, 'utf8').digest('hex');
}

function prepare(incoming: IncomingCloudEvent, index: number, context: WriteContext, recordedAt: string): PreparedEvent {
  const eventId = eventIdFor(incoming.source, incoming.id);
  const contentDigest = contentDigestOf(incoming);
  const { correlationid, causationid, ...otherExtensions } = incoming.extensions;
  const metadata: Record<string, unknown> = {
    schemaVersion: currentSchemaVersion(incoming.type),
    source: incoming.source,
    cloudEventId: incoming.id,
    subject: incoming.subject,
    time: incoming.time,
    recordedAt,
    correlationId: String(correlationid ?? context.correlationId),
    causationId: String(causationid ?? context.causationId),
    ...(context.writtenBy !== undefined && { writtenBy: context.writtenBy }),
    ...(context.writtenByKeyId !== undefined && { writtenByKeyId: context.writtenByKeyId }),
    contentDigest,
    ...(incoming.dataschema !== undefined && { dataschema: incoming.dataschema }),
    ...(Object.keys(otherExtensions).length > 0 && { extensions: otherExtensions }),
  };
  return {
    index,
    incoming,
    eventId,
    streamId: subjectStream(incoming.subject),
    contentDigest,
    toAppend: { id: eventId, type: incoming.type, data: incoming.data, metadata },
  };
}

/** Suffix of the CloudEvents id of what the ledger writes about an ingested event. */
const JUDGEMENT_SUFFIX: Partial<Record<string, string>> = {
  'assurance.authentication.evaluated': 'verdict',
  'assurance.fallback.evaluated': 'coverage',
};

/** The ledger's judgement (a verdict, a fallback's coverage), with metadata linking it to the event it judges. */
function verdictToAppend(item: PreparedEvent, verdict: SubjectEvent): EventToAppend {
  const { incoming, toAppend } = item;
  const suffix = JUDGEMENT_SUFFIX[verdict.type] ?? verdict.type;
  return ledgerEventToAppend({
    type: verdict.type as 'assurance.authentication.evaluated' | 'assurance.fallback.evaluated',
    data: verdict.data,
    cloudEventId: `${incoming.id}#${suffix}`,
    // Emitters may reuse an id under different sources; the (source, id) pair is what is unique.
    idKey: `${incoming.source}\u0000${incoming.id}#${suffix}`,
    subject: incoming.subject,
    time: incoming.time,
    recordedAt: String(toAppend.metadata.recordedAt),
    correlationId: String(toAppend.metadata.correlationId),
    causationId: item.eventId,
    writtenBy: typeof toAppend.metadata.writtenBy === 'string' ? toAppend.metadata.writtenBy : undefined,
    writtenByKeyId: typeof toAppend.metadata.writtenByKeyId === 'string' ? toAppend.metadata.writtenByKeyId : undefined,
  });
}

function resultOf(item: PreparedEvent, stored: RecordedEvent, status: RecordedEventResult['status']): RecordedEventResult {
  return {
    id: item.incoming.id,
    source: item.incoming.source,
    status,
    stream: stored.streamId,
    revision: stored.revision,
    position: stored.position,
    hash: String(stored.metadata.hash),
  };
}

function conflictError(items: PreparedEvent[], message: string): LedgerConflictError {
  return new LedgerConflictError(
    'idempotency-key-reused',
    message,
    items.map((item) => ({ index: item.index, id: item.incoming.id, source: item.incoming.source })),
  );
}

/**
 * Records a batch of CloudEvents. The whole batch is checked (idempotency, subject rules) on every
 * stream before anything is written, and every stream is then appended in the same turn of the event
 * loop, so the SQLite store commits the batch in one transaction. The subject command path queues,
 * chains, and decides a stream again when another process wrote to it.
 */
@CommandHandler(RecordEventsCommand)
export class RecordEventsHandler implements ICommandHandler<RecordEventsCommand, RecordedEventResult[]> {
  private readonly subjects: CommandPath<SubjectState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly policies: PolicyHistoryStore,
    subjectStreams: SubjectStreams,
    private readonly exceptionRegistry: ExceptionRegistry,
  ) {
    this.subjects = subjectStreams.commands;
  }

  async execute({ events, context }: RecordEventsCommand): Promise<RecordedEventResult[]> {
    refuseReservedSources(events);
    const { at: recordedAt, history: policies } = await this.policies.snapshot(() => new Date().toISOString());
    const prepared = events.map((event, index) => prepare(event, index, context, recordedAt));

    // A key repeated inside one batch: same content is one event, different content is a conflict.
    const firstByEventId = new Map<string, PreparedEvent>();
    const repeats = new Set<PreparedEvent>();
    const repeatConflicts: PreparedEvent[] = [];
    for (const item of prepared) {
      const original = firstByEventId.get(item.eventId);
      if (!original) firstByEventId.set(item.eventId, item);
      else if (original.contentDigest === item.contentDigest) repeats.add(item);
      else repeatConflicts.push(item);
    }
    if (repeatConflicts.length > 0) {
      throw conflictError(repeatConflicts, 'the batch uses the same source and id twice with different content');
    }

    const byStream = new Map<string, PreparedEvent[]>();
    for (const item of firstByEventId.values()) byStream.set(item.streamId, [...(byStream.get(item.streamId) ?? []), item]);

    // Read after the request arrived, from the store: an approval acknowledged before it, by any process, is seen.
    // Fallbacks and authentications are judged against them; other events never read them.
    const exceptions = prepared.some((item) => JUDGED_AGAINST_EXCEPTIONS.has(item.incoming.type))
      ? (await this.exceptionRegistry.current()).catalog
      : undefined;

    const handled = await this.subjects
      .handleAll<StreamPlan>(
        [...byStream.keys()],
        (loaded, streamId) => {
          const items = byStream.get(streamId)!;
          return this.plan(loaded, streamId, items, policies, exceptions && exceptionsRelevantTo(exceptions, items[0].incoming.subject));
        },
        {
          beforeAppend: (plans) => {
            const conflicts = plans.flatMap((plan) => plan.conflicts);
            if (conflicts.length > 0) {
              throw conflictError(conflicts, 'an event with the same source and id is already recorded with different content');
            }
          },
        },
      )
      .catch((error: unknown) => {
        if (error instanceof DuplicateEventIdError) {
          const item = prepared.find((candidate) => candidate.eventId === error.eventId);
          throw conflictError(item ? [item] : prepared, 'an event with the same source and id is already recorded for another subject');
        }
        throw error;
      });

    const outcomes = new Map<string, { stored: RecordedEvent; status: RecordedEventResult['status'] }>();
    for (const { result: plan, appended } of handled) {
      for (const { item, stored } of plan.duplicates) outcomes.set(item.eventId, { stored, status: 'duplicate' });
      for (const item of plan.fresh) outcomes.set(item.eventId, { stored: appended[plan.appendIndexOf.get(item)!], status: 'recorded' });
    }
    return prepared.map((item) => {
      const outcome = outcomes.get(item.eventId)!;
      return resultOf(item, outcome.stored, repeats.has(item) ? 'duplicate' : outcome.status);
    });
  }

  /** Decides one stream's part of the batch on its current state; a conflict is reported, not thrown, so that the batch reports all. */
  private async plan(
    loaded: StreamState<SubjectState>,
    streamId: string,
    items: PreparedEvent[],
    policies: PolicyHistory,
    exceptions: readonly CoverageCandidate[] | undefined,
  ): Promise<Decision<StreamPlan>> {
    const existing = await this.store.findInStream(
      streamId,
      items.map((item) => item.eventId),
    );
    const storedById = new Map(existing.map((event) => [event.id, event]));
    const plan: StreamPlan = { fresh: [], appendIndexOf: new Map(), duplicates: [], conflicts: [] };
    const toAppend: EventToAppend[] = [];
    let state = loaded.state;
    for (const item of items) {
      const stored = storedById.get(item.eventId);
      if (stored) {
        if (stored.metadata.contentDigest === item.contentDigest) plan.duplicates.push({ item, stored });
        else plan.conflicts.push(item);
        continue;
      }
      const revision = loaded.tail.revision + 1 + toAppend.length;
      const command = {
        type: 'RecordSubjectEvent' as const,
        // The DTO validated the data against the catalog class of its type.
        event: { type: item.incoming.type, data: item.incoming.data, time: item.incoming.time, revision } as unknown as SubjectEvent,
        evaluation: {
          policies,
          id: item.incoming.id,
          source: item.incoming.source,
          revision,
          recordedAt: String(item.toAppend.metadata.recordedAt),
          subjectId: item.incoming.subject,
          ...(exceptions && { exceptions }),
        },
      };
      let decided: SubjectEvent[];
      try {
        decided = decide(command, state);
      } catch (error) {
        if (error instanceof DomainRuleViolation) {
          throw new LedgerConflictError(error.code, `events[${item.index}]: ${error.message}`, [
            { index: item.index, id: item.incoming.id, source: item.incoming.source },
          ]);
        }
        throw error;
      }
      const [, ...ledgerWritten] = decided;
      for (const event of decided) state = evolve(state, event);
      plan.fresh.push(item);
      plan.appendIndexOf.set(item, toAppend.length);
      toAppend.push(item.toAppend, ...ledgerWritten.map((verdict) => verdictToAppend(item, verdict)));
    }
    // Conflicts write nothing anywhere: beforeAppend refuses the whole batch.
    return { events: plan.conflicts.length > 0 ? [] : toAppend, result: plan };
  }
}
