import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { idempotencyKeyOf, idempotentIdFor, requestDigestOf } from '../../shared/idempotency';
import { validatedBody } from '../../shared/invalid-request';
import { DecideAccessCommand } from './decide-access.command';
import { DecideAccessDto } from './decide-access.dto';
import { RequireRoles } from '../../access/roles';
import { RequestWriteContext } from '../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { DocumentedBody } from '../../openapi/request-body.decorator';

/** Namespace for decision ids derived from an Idempotency-Key, so a retried request finds its decision. */
const DECISION_ID_NAMESPACE = 'c1f6a7f2-8c39-4f0e-9a55-5b7f1f0d3e21';

@RequireRoles('emitter')
@Controller('v1/decisions')
export class DecideAccessController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Answers allow, step-up or deny and records the answer in the subject's
   * stream. 201 for a new decision; 200 when `Idempotency-Key` repeats one.
   */
  @DocumentedBody(DecideAccessDto)
  @Post()
  @HttpCode(201)
  async decide(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestWriteContext() writeContext: WriteContext,
  ) {
    const now = new Date().toISOString();
    const { subjectId, channel, applicationId, sessionId, context } = validatedBody(DecideAccessDto, body);
    const key = idempotencyKeyOf(idempotencyKey);
    const caller = writeContext.writtenByKeyId ?? writeContext.writtenBy ?? '';
    // Per subject too: a decision lives in its subject's stream, and only there can a replay be found on every store.
    const decisionId = key ? idempotentIdFor(DECISION_ID_NAMESPACE, `${caller}\u0000${subjectId}`, key) : randomUUID();
    const request = {
      channel,
      applicationId,
      ...(sessionId !== undefined && { sessionId }),
      context: {
        ...(context.deviceId !== undefined && { deviceId: context.deviceId }),
        ...(context.ipAddress !== undefined && { ipAddress: context.ipAddress }),
        ...(context.riskLevel !== undefined && { riskLevel: context.riskLevel }),
        signals: [...context.signals],
      },
    };
    const digest = key ? requestDigestOf({ subjectId, request }) : undefined;
    const answer = await this.commandBus.execute(new DecideAccessCommand(subjectId, request, decisionId, now, writeContext, digest));
    if (answer.replayed) reply.status(200);
    return answer;
  }
}
