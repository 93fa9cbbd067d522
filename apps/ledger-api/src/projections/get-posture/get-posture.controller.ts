import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsISO8601, IsOptional } from 'class-validator';
import { MinPositionParams } from '../read-consistency';
import { GetPostureQuery } from './get-posture.query';
import { RequireRoles } from '../../access/roles';

export class GetPostureParams extends MinPositionParams {
  /** Inclusive start of the window, RFC 3339; absent means from the first event. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Exclusive end of the window, RFC 3339; absent means up to now. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}

@RequireRoles('auditor', 'reviewer', 'admin')
@Controller('v1/posture')
export class GetPostureController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Estate posture over a time window: shares, authentications by AAL and channel, leaky applications, recoveries, reviews. */
  @Get()
  get(@Query() { from, to, minPosition }: GetPostureParams) {
    return this.queryBus.execute(new GetPostureQuery(from, to, minPosition));
  }
}
