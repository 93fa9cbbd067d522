import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { buildPostureReport, hourBucketOf } from '@ledger/domain/projections';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { exceptionPosture } from '@ledger/domain';
import { ExceptionRegistry, exceptionsForView } from '@ledger/core';
import { InvalidQueryError } from '@ledger/core';
import { ReadConsistency } from '../read-consistency';
import { GetPostureQuery, PostureAnswer } from './get-posture.query';

const HOUR_MS = 3_600_000;

/** Counters are hourly: a window starts at the hour `from` falls in and ends at the first hour boundary at or after `to`. */
export function toHourWindow(from: string | undefined, to: string | undefined) {
  const fromHour = from === undefined ? undefined : Math.floor(Date.parse(from) / HOUR_MS) * HOUR_MS;
  const toHour = to === undefined ? undefined : Math.ceil(Date.parse(to) / HOUR_MS) * HOUR_MS;
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    fromBucket: iso(fromHour) && hourBucketOf(iso(fromHour)!),
    toBucket: iso(toHour) && hourBucketOf(iso(toHour)!),
    window: { from: iso(fromHour) ?? null, to: iso(toHour) ?? null },
  };
}

@QueryHandler(GetPostureQuery)
export class GetPostureHandler implements IQueryHandler<GetPostureQuery, PostureAnswer> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
    private readonly exceptions: ExceptionRegistry,
  ) {}

  async execute({ from, to, minPosition }: GetPostureQuery): Promise<PostureAnswer> {
    if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) {
      throw new InvalidQueryError('to', 'must be later than from');
    }
    const { fromBucket, toBucket, window } = toHourWindow(from, to);
    await this.consistency.ensure(minPosition);
    const { position, value } = await this.readModels.posture({ fromBucket, toBucket }, new Date());
    const { catalog } = await exceptionsForView(this.exceptions);
    // Current, like the shares: exceptions in force now, whatever the window.
    return { position, ...buildPostureReport({ window, ...value }), exceptions: exceptionPosture(catalog, Date.now()) };
  }
}
