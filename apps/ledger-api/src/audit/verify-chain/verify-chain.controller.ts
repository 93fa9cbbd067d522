import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { VerifyChainQuery } from './verify-chain.query';
import { RequireRoles } from '../../access/roles';

export class VerifyChainParams {
  @IsOptional() @IsString() @MaxLength(300)
  stream?: string;
}

@RequireRoles('auditor')
@Controller('v1/audit')
export class VerifyChainController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Recomputes the hash chain of one stream, or of every stream when none is named. */
  @Get('verify')
  verify(@Query() { stream }: VerifyChainParams) {
    return this.queryBus.execute(new VerifyChainQuery(stream));
  }
}
