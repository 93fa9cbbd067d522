import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import { ListExceptionsParams } from '../exception-dto';
import { ListExceptionsQuery } from './list-exceptions.query';

@RequireRoles('helpdesk', 'reviewer', 'auditor', 'admin')
@Controller('v1/exceptions')
export class ListExceptionsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Exceptions by status and by what their scope names, newest request first, each with the fallbacks it covered. */
  @Get()
  list(@Query() { status, subjectId, applicationId, channel }: ListExceptionsParams) {
    return this.queryBus.execute(new ListExceptionsQuery({ status, subjectId, applicationId, channel }));
  }
}
