import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { SubjectIdParams } from '../../shared/subject-id.params';
import { MinPositionParams } from '../read-consistency';
import { GetSubjectStateQuery } from './get-subject-state.query';
import { RequireRoles } from '../../access/roles';

@RequireRoles('helpdesk', 'reviewer', 'auditor')
@Controller('v1/subjects')
export class GetSubjectStateController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The help desk's view of one subject; 404 when no event names it. */
  @Get(':subjectId')
  get(@Param() { subjectId }: SubjectIdParams, @Query() { minPosition }: MinPositionParams) {
    return this.queryBus.execute(new GetSubjectStateQuery(subjectId, minPosition));
  }
}
