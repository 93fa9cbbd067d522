import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AuthenticationRecord } from '@ledger/domain/projections';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { decodeCursor, encodeCursor } from '../../projections/cursor';
import { InvalidQueryError } from '@ledger/core';
import { ReadConsistency } from '../../projections/read-consistency';
import { AuthenticationsPage, AuthenticationView, ListAuthenticationsQuery } from './list-authentications.query';

export function toAuthenticationView(record: AuthenticationRecord): AuthenticationView {
  const { evaluation, source } = record;
  const subjectPath = encodeURIComponent(record.subjectId);
  return {
    subjectId: record.subjectId,
    occurredAt: record.occurredAt,
    applicationId: record.applicationId,
    channel: record.channel,
    sessionId: record.sessionId,
    methods: record.methods,
    amr: evaluation?.amr ?? null,
    acr: evaluation?.acr ?? null,
    achievedAal: evaluation?.achievedAal ?? null,
    requiredAal: evaluation?.requiredAal ?? null,
    phishingResistant: evaluation?.phishingResistant ?? null,
    verdict: evaluation?.verdict ?? 'unevaluated',
    exception: evaluation?.exception ?? null,
    reasons: evaluation?.reasons ?? [],
    policyVersion: evaluation?.policyVersion ?? null,
    decisionPath: evaluation?.decisionPath ?? [],
    assuranceRulesVersion: evaluation ? (evaluation.assuranceRulesVersion ?? 1) : null,
    restricted: evaluation?.restricted ?? null,
    restrictedReason: evaluation?.restrictedReason ?? null,
    source,
    verdictSource: evaluation?.source ?? null,
    sourceHref: `/v1/subjects/${subjectPath}/events?fromRevision=${source.revision}&limit=${evaluation ? evaluation.source.revision - source.revision + 1 : 1}`,
  };
}

@QueryHandler(ListAuthenticationsQuery)
export class ListAuthenticationsHandler implements IQueryHandler<ListAuthenticationsQuery, AuthenticationsPage> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
  ) {}

  async execute({ filter, limit, cursor, minPosition }: ListAuthenticationsQuery): Promise<AuthenticationsPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, 2);
    const afterPosition = after === undefined ? undefined : Number(after[1]);
    if (afterPosition !== undefined && !Number.isSafeInteger(afterPosition))
      throw new InvalidQueryError('cursor', 'must be a nextCursor returned by this endpoint');
    await this.consistency.ensure(minPosition);
    const { position, value } = await this.readModels.listAuthentications({
      ...filter,
      after: after && { occurredAt: after[0], position: afterPosition! },
      limit: limit + 1,
    });
    const page = value.slice(0, limit);
    const last = page[page.length - 1];
    return {
      position,
      items: page.map(toAuthenticationView),
      nextCursor: value.length > limit ? encodeCursor([last.occurredAt, String(last.source.position)]) : null,
    };
  }
}
