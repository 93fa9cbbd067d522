import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, Matches } from 'class-validator';
import { EVENT_TYPES, LEDGER_EVENT_TYPES } from '@ledger/domain';
import { OptionalIntParam, TimeRangeParams } from '../../shared/query-params';
import { RequireRoles } from '../../access/roles';
import { SubjectIdParams } from '../../shared/subject-id.params';
import { SubjectHistoryQuery } from './subject-history.query';

const KNOWN_TYPES: string[] = [...EVENT_TYPES, ...Object.values(LEDGER_EVENT_TYPES)];

export class SubjectHistoryParams extends TimeRangeParams {
  /** Comma-separated event types. */
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((type) => type.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayMaxSize(KNOWN_TYPES.length)
  @IsIn(KNOWN_TYPES, { each: true, message: `each type must be one of: ${KNOWN_TYPES.join(', ')}` })
  types?: string[];

  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'must be a cursor returned by a previous page' })
  cursor?: string;

  @OptionalIntParam(1, 1000)
  limit?: number;
}

@RequireRoles('auditor')
@Controller('v1/subjects')
export class SubjectHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The subject's events between two times, of some types, each authentication with its verdict. */
  @Get(':subjectId/history')
  history(@Param() { subjectId }: SubjectIdParams, @Query() params: SubjectHistoryParams) {
    return this.queryBus.execute(
      new SubjectHistoryQuery(
        subjectId,
        {
          ...(params.from !== undefined && { from: new Date(params.from) }),
          ...(params.to !== undefined && { to: new Date(params.to) }),
          ...(params.types !== undefined && { types: params.types }),
        },
        params.cursor === undefined ? 0 : Number(params.cursor),
        params.limit ?? 100,
      ),
    );
  }
}
