import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { SubjectIdParams } from '../../shared/subject-id.params';
import { ListSubjectEventsQuery } from './list-subject-events.query';
import { RequireRoles } from '../../access/roles';

export class ListSubjectEventsParams {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@RequireRoles('auditor', 'helpdesk')
@Controller('v1/subjects')
export class ListSubjectEventsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':subjectId/events')
  list(@Param() { subjectId }: SubjectIdParams, @Query() { fromRevision, limit }: ListSubjectEventsParams) {
    return this.queryBus.execute(new ListSubjectEventsQuery(subjectId, fromRevision ?? 0, limit ?? 100));
  }
}
