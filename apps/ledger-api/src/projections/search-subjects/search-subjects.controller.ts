import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MinPositionParams } from '../read-consistency';
import { OptionalIdParam, OptionalIntParam, PageCursorParam } from '../../shared/query-params';
import { SearchSubjectsQuery } from './search-subjects.query';
import { RequireRoles } from '../../access/roles';

export class SearchSubjectsParams extends MinPositionParams {
  /** Empty or absent lists every subject. */
  @OptionalIdParam(/^[A-Za-z0-9._:@+-]*$/, '$property must contain only letters, digits and . _ : @ + -')
  prefix?: string;

  @OptionalIntParam(1, 500)
  limit?: number;

  @PageCursorParam()
  cursor?: string;
}

@RequireRoles('helpdesk', 'reviewer', 'auditor')
@Controller('v1/subjects')
export class SearchSubjectsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Subjects whose id starts with `prefix`, in id order, `limit` at a time. */
  @Get()
  search(@Query() { prefix, limit, cursor, minPosition }: SearchSubjectsParams) {
    return this.queryBus.execute(new SearchSubjectsQuery(prefix ?? '', limit ?? 50, cursor, minPosition));
  }
}
