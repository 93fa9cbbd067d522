import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import { CurrentPrincipal } from '../../../access/current-principal.decorator';
import type { Principal } from '@ledger/core';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { ApproveExceptionDto, ExceptionIdParams, ExceptionReasonDto } from '../exception-dto';
import { ExceptionReview, ReviewExceptionCommand } from './review-exception.command';

/** A reviewer's three acts on an exception; each answers 200 with the exception as it now stands. */
@RequireRoles('reviewer', 'admin')
@Controller('v1/exceptions')
export class ReviewExceptionController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 403 for the requester's own request; 409 when it is no longer pending or another reviewer acted first. */
  @Post(':exceptionId/approve')
  @HttpCode(200)
  approve(
    @Param() { exceptionId }: ExceptionIdParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
  ) {
    const { note, expiresAt } = validatedBody(ApproveExceptionDto, body);
    return this.review(exceptionId, context, {
      type: 'ApproveException',
      reviewer: principal.keyName,
      note,
      ...(expiresAt !== undefined && { expiresAt: new Date(expiresAt).toISOString() }),
    });
  }

  /** 409 when it is no longer pending or another reviewer acted first. */
  @Post(':exceptionId/reject')
  @HttpCode(200)
  reject(
    @Param() { exceptionId }: ExceptionIdParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
  ) {
    const { reason } = validatedBody(ExceptionReasonDto, body);
    return this.review(exceptionId, context, { type: 'RejectException', reviewer: principal.keyName, reason });
  }

  /** 409 when it is not approved, already expired, or someone acted first. */
  @Post(':exceptionId/revoke')
  @HttpCode(200)
  revoke(
    @Param() { exceptionId }: ExceptionIdParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
  ) {
    const { reason } = validatedBody(ExceptionReasonDto, body);
    return this.review(exceptionId, context, { type: 'RevokeException', revokedBy: principal.keyName, reason });
  }

  private review(exceptionId: string, context: WriteContext, review: ExceptionReview) {
    return this.commandBus.execute(new ReviewExceptionCommand(exceptionId, review, context));
  }
}
