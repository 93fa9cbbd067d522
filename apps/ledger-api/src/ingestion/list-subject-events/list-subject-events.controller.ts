import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { OptionalIntParam } from '../../shared/query-params';
import { SubjectIdParams } from '../../shared/subject-id.params';
import { ListSubjectEventsQuery } from './list-subject-events.query';
import { RequireRoles } from '../../access/roles';

export class ListSubjectEventsParams {
  @OptionalIntParam(0)
  fromRevision?: number;

  @OptionalIntParam(1, 1000)
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
