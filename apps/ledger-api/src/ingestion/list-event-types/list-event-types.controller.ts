import { Controller, Get } from '@nestjs/common';
import { eventTypeSchemas } from '@ledger/domain';
import { RequireRoles } from '../../access/roles';
import { ROLES } from '@ledger/core';

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
