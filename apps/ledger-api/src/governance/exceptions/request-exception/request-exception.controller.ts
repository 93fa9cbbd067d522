import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { RequireRoles } from '../../../access/roles';
import { CurrentPrincipal } from '../../../access/current-principal.decorator';
import type { Principal } from '../../../access/api-key-registry';
import { validatedBody } from '../../../shared/invalid-request';
import { RequestWriteContext } from '../../../shared/write-context.decorator';
import type { WriteContext } from '../../../ingestion/record-events/record-events.command';
import { RequestExceptionDto } from '../exception-dto';
import { RequestExceptionCommand } from './request-exception.command';

/** The help desk asks on a user's behalf; reviewers and admins may ask too, but never approve their own request. */
@RequireRoles('helpdesk', 'reviewer', 'admin')
@Controller('v1/exceptions')
export class RequestExceptionController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Requests an allowance for a weaker path; 201 with the pending exception. The requester is the API key's name. */
  @Post()
  @HttpCode(201)
  request(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @RequestWriteContext() context: WriteContext) {
    const { scope, allowedMethods, justification, expiresAt, renews } = validatedBody(RequestExceptionDto, body);
    const definedScope = {
      ...(scope.subjectId !== undefined && { subjectId: scope.subjectId }),
      ...(scope.applicationId !== undefined && { applicationId: scope.applicationId }),
      ...(scope.channel !== undefined && { channel: scope.channel }),
    };
    return this.commandBus.execute(
      new RequestExceptionCommand(
        randomUUID(),
        definedScope,
        allowedMethods,
        justification,
        new Date(expiresAt).toISOString(),
        renews,
        principal.keyName,
        context,
      ),
    );
  }
}
