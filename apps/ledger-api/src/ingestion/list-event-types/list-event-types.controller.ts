import { Controller, Get } from '@nestjs/common';
import { eventTypeSchemas } from '@ledger/domain';
import { RequireRoles, ROLES } from '../../access/roles';

/** The catalog is static for a build, so it is computed once. */
@RequireRoles(...ROLES)
@Controller('v1/event-types')
export class ListEventTypesController {
  private readonly catalog = { types: eventTypeSchemas() };

  @Get()
  list() {
    return this.catalog;
  }
}
