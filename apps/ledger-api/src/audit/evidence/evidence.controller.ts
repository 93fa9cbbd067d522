import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { TimeRangeParams } from '../../shared/query-params';
import { RequireRoles } from '../../access/roles';
import { InvalidQueryError } from '@ledger/core';
import { EvidenceReport, renderEvidenceMarkdown } from '@ledger/core';
import { GetEvidenceQuery } from './get-evidence.query';

/** `to` absent: the time of the report. */
export class EvidenceParams extends TimeRangeParams {
  @IsOptional()
  @IsIn(['json', 'md'], { message: 'must be one of: json, md' })
  format?: 'json' | 'md';
}

@RequireRoles('auditor', 'admin')
@Controller('v1/audit/evidence')
export class EvidenceController {
  constructor(private readonly queryBus: QueryBus) {}

  /** NIST CSF 2.0 PR.AA and SP 800-63B-4 controls, each with the ledger's figures and the audit query behind every figure. */
  @Get()
  async evidence(@Query() { from, to, format }: EvidenceParams, @Res({ passthrough: true }) reply: FastifyReply) {
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to))
      throw new InvalidQueryError('to', 'must not be earlier than from');
    const report: EvidenceReport = await this.queryBus.execute(new GetEvidenceQuery(from, to));
    if (format !== 'md') return report;
    reply.header('content-type', 'text/markdown; charset=utf-8');
    return renderEvidenceMarkdown(report);
  }
}
