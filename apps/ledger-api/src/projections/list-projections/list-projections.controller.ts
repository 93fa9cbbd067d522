import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ListProjectionsQuery } from './list-projections.query';
import { RequireRoles } from '../../access/roles';

@RequireRoles('admin', 'auditor')
@Controller('v1/projections')
export class ListProjectionsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Each read model's checkpoint, its lag behind the store in events and in time, and its status. */
  @Get()
  list() {
    return this.queryBus.execute(new ListProjectionsQuery());
  }
}
