import { BadRequestException, Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { TimeRangeParams } from '../../shared/query-params';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { ExportFormat, exportStream } from '@ledger/core';
import { RequireRoles } from '../../access/roles';

export class ExportEventsParams extends TimeRangeParams {
  @IsIn(['jsonl', 'ocsf'], { message: 'must be one of: jsonl, ocsf' })
  format: ExportFormat;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  pseudonymise?: boolean;
}

function invalidRequest(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'invalid-request',
    message: 'invalid request parameters',
    errors: [{ field, reason }],
  });
}

@RequireRoles('auditor')
@Controller('v1/audit')
export class ExportEventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Streams NDJSON: CloudEvents (`jsonl`) or OCSF records (`ocsf`). */
  @Get('export')
  export(@Query() params: ExportEventsParams, @Res() reply: FastifyReply) {
    if (params.pseudonymise && !this.config.pseudonymisationKey) {
      throw invalidRequest('pseudonymise', 'needs LEDGER_PSEUDONYMISATION_KEY to be configured on the server');
    }
    if (params.from && params.to && Date.parse(params.from) > Date.parse(params.to)) {
      throw invalidRequest('to', 'must not be before from');
    }
    const stream = exportStream(this.store, {
      format: params.format,
      from: params.from ? new Date(params.from) : undefined,
      to: params.to ? new Date(params.to) : undefined,
      pseudonymisationKey: params.pseudonymise ? this.config.pseudonymisationKey : undefined,
      productVersion: this.config.productVersion,
    });
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(stream);
  }
}
