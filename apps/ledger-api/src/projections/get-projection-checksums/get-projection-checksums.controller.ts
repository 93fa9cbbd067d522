import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MinPositionParams } from '../read-consistency';
import { GetProjectionChecksumsQuery } from './get-projection-checksums.query';
import { RequireRoles } from '../../access/roles';

@RequireRoles('admin', 'auditor')
@Controller('v1/projections')
export class GetProjectionChecksumsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The content checksums `npm run projections:rebuild` prints, taken from the live read models. */
  @Get('checksums')
  checksums(@Query() { minPosition }: MinPositionParams) {
    return this.queryBus.execute(new GetProjectionChecksumsQuery(minPosition));
  }
}
