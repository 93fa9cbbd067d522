import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MinPositionParams } from '../read-consistency';
import { SearchSubjectsQuery } from './search-subjects.query';
import { RequireRoles } from '../../access/roles';

export class SearchSubjectsParams extends MinPositionParams {
  /** Empty or absent lists every subject. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9._:@+-]*$/, { message: '$property must contain only letters, digits and . _ : @ + -' })
  prefix?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
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
