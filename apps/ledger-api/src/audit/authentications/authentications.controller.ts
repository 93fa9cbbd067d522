import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../access/roles';
import { AuthenticationFilterParams, ListAuthenticationsParams, toAuthenticationFilter } from './authentication-filter.params';
import { CountAuthenticationsQuery } from './count-authentications.query';
import { ListAuthenticationsQuery } from './list-authentications.query';

@RequireRoles('auditor', 'admin')
@Controller('v1/audit/authentications')
export class AuthenticationsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Who authenticated to what, when, by what factor, and under which policy version: one row per authentication. */
  @Get()
  list(@Query() params: ListAuthenticationsParams) {
    return this.queryBus.execute(
      new ListAuthenticationsQuery(toAuthenticationFilter(params), params.limit ?? 100, params.cursor, params.minPosition),
    );
  }

  /** How many authentications match the same filters. */
  @Get('count')
  count(@Query() params: AuthenticationFilterParams) {
    return this.queryBus.execute(new CountAuthenticationsQuery(toAuthenticationFilter(params), params.minPosition));
  }
}
