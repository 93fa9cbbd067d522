import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { idempotencyKeyOf } from '../../../shared/idempotency';
import { RequireRoles } from '../../../access/roles';
import { CurrentPrincipal } from '../../../access/current-principal.decorator';
import type { Principal } from '@ledger/core';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { RequestExceptionDto } from '../exception-dto';
import { RequestExceptionCommand } from './request-exception.command';

/** Namespace for exception ids derived from an Idempotency-Key, so a retried request finds the exception it created. */
const EXCEPTION_ID_NAMESPACE = '8d3f6a52-1c7b-4e0a-b6f1-2f4c9a7d5e13';

/** The help desk asks on a user's behalf; reviewers and admins may ask too, but never approve their own request. */
@RequireRoles('helpdesk', 'reviewer', 'admin')
@Controller('v1/exceptions')
export class RequestExceptionController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Requests an allowance for a weaker path; 201 with the pending exception. The requester is the
   * API key's name. With an `Idempotency-Key` header a retry answers 200 with the exception it created.
   */
  @Post()
  @HttpCode(201)
  async request(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { scope, allowedMethods, justification, expiresAt, renews } = validatedBody(RequestExceptionDto, body);
    const definedScope = {
      ...(scope.subjectId !== undefined && { subjectId: scope.subjectId }),
      ...(scope.applicationId !== undefined && { applicationId: scope.applicationId }),
      ...(scope.channel !== undefined && { channel: scope.channel }),
    };
    const key = idempotencyKeyOf(idempotencyKey);
    const exceptionId = key ? uuidv5(`${principal.keyName}\u0000${key}`, EXCEPTION_ID_NAMESPACE) : randomUUID();
    const answer = await this.commandBus.execute(
      new RequestExceptionCommand(
        exceptionId,
        definedScope,
        allowedMethods,
        justification,
        new Date(expiresAt).toISOString(),
        renews,
        principal.keyName,
        context,
      ),
    );
    if (answer.replayed) reply.status(200);
    return answer;
  }
}
