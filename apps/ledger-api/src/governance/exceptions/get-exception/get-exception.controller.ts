import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import { ExceptionIdParams } from '../exception-dto';
import { GetExceptionQuery } from './get-exception.query';

@RequireRoles('helpdesk', 'reviewer', 'auditor', 'admin')
@Controller('v1/exceptions')
export class GetExceptionController {
  constructor(private readonly queryBus: QueryBus) {}

  /** One exception with its whole lifecycle so far; 404 when there is none. */
  @Get(':exceptionId')
  get(@Param() { exceptionId }: ExceptionIdParams) {
    return this.queryBus.execute(new GetExceptionQuery(exceptionId));
  }
}
