import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsRfc3339DateTime } from '@ledger/domain';
import { RequireRoles } from '../../access/roles';
import { SubjectIdParams } from '../../shared/subject-id.params';
import { SubjectStateAsOfQuery } from './subject-state-as-of.query';

export class PointInTimeParams {
  @IsOptional()
  @IsRfc3339DateTime()
  asOf?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  atPosition?: number;
}

@RequireRoles('auditor')
@Controller('v1/subjects')
export class SubjectStateAsOfController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The subject's state as it was at a time (`asOf`) or at a global position (`atPosition`). */
  @Get(':subjectId/state')
  state(@Param() { subjectId }: SubjectIdParams, @Query() { asOf, atPosition }: PointInTimeParams) {
    if ((asOf === undefined) === (atPosition === undefined)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'invalid-request',
        message: 'invalid request parameters',
        errors: [{ field: 'asOf', reason: 'give exactly one of asOf (an RFC 3339 time) or atPosition (a global position)' }],
      });
    }
    return this.queryBus.execute(
      new SubjectStateAsOfQuery(subjectId, asOf !== undefined ? { asOf: new Date(asOf) } : { atPosition: atPosition! }),
    );
  }
}
