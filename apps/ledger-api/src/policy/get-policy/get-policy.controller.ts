import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GetPolicyQuery } from './get-policy.query';
import { RequireRoles } from '../../access/roles';
import { ROLES } from '@ledger/core';

export class PolicyVersionParams {
  @Type(() => Number)
  @IsInt({ message: 'must be a policy version number' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  version: number;
}

@RequireRoles(...ROLES)
@Controller('v1/policy')
export class GetPolicyController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  current() {
    return this.queryBus.execute(new GetPolicyQuery());
  }

  @Get('versions/:version')
  version(@Param() { version }: PolicyVersionParams) {
    return this.queryBus.execute(new GetPolicyQuery(version));
  }
}
