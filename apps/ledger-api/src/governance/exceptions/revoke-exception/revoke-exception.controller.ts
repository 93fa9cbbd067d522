import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import { CurrentPrincipal } from '../../../access/current-principal.decorator';
import type { Principal } from '@ledger/core';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { ExceptionIdParams, ExceptionReasonDto } from '../exception-dto';
import { RevokeExceptionCommand } from './revoke-exception.command';

@RequireRoles('reviewer', 'admin')
@Controller('v1/exceptions')
export class RevokeExceptionController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 200 with the exception as it now stands; 409 when it is not approved, already expired, or someone acted first. */
  @Post(':exceptionId/revoke')
  @HttpCode(200)
  revoke(
    @Param() { exceptionId }: ExceptionIdParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
  ) {
    const { reason } = validatedBody(ExceptionReasonDto, body);
    return this.commandBus.execute(new RevokeExceptionCommand(exceptionId, principal.keyName, reason, context));
  }
}
