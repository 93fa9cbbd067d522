import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { VerifyChainQuery } from './verify-chain.query';
import { verificationJob } from './verification-job';
import { RequireRoles } from '../../access/roles';
import { InvalidRequestError } from '../../shared/invalid-request';

export class VerifyChainParams {
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  /** Turns the whole-store verification into a streamed job with a progress line every N events. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  progressEvery?: number;
}

@RequireRoles('auditor')
@Controller('v1/audit')
export class VerifyChainController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Recomputes the hash chain of one stream, or of every stream when none is named (as a streamed job with `progressEvery`). */
  @Get('verify')
  async verify(@Query() { stream, progressEvery }: VerifyChainParams, @Res() reply: FastifyReply) {
    if (progressEvery !== undefined) {
      if (stream !== undefined) {
        throw new InvalidRequestError('invalid-request', 'invalid request parameters', [
          { field: 'progressEvery', reason: 'applies only to the whole store, without stream' },
        ]);
      }
      return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(verificationJob(this.store, progressEvery));
    }
    return reply.send(await this.queryBus.execute(new VerifyChainQuery(stream)));
  }
}
