import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequireRoles } from '../../../access/roles';
import { CurrentPrincipal } from '../../../access/current-principal.decorator';
import type { Principal } from '@ledger/core';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { ApproveExceptionDto, ExceptionIdParams } from '../exception-dto';
import { ApproveExceptionCommand } from './approve-exception.command';

@RequireRoles('reviewer', 'admin')
@Controller('v1/exceptions')
export class ApproveExceptionController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 200 with the approved exception; 403 for the requester's own request; 409 when it is no longer pending or another reviewer acted first. */
  @Post(':exceptionId/approve')
  @HttpCode(200)
  approve(
    @Param() { exceptionId }: ExceptionIdParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @RequestWriteContext() context: WriteContext,
  ) {
    const { note, expiresAt } = validatedBody(ApproveExceptionDto, body);
    return this.commandBus.execute(
      new ApproveExceptionCommand(
        exceptionId,
        principal.keyName,
        note,
        expiresAt === undefined ? undefined : new Date(expiresAt).toISOString(),
        context,
      ),
    );
  }
}
