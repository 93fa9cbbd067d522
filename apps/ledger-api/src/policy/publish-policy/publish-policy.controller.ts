import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { validatedBody } from '../../shared/invalid-request';
import { PublishPolicyCommand } from './publish-policy.command';
import { PublishPolicyDto } from './publish-policy.dto';
import { RequireRoles } from '../../access/roles';
import { RequestWriteContext } from '../../shared/write-context.decorator';
import type { WriteContext } from '@ledger/core';
import { DocumentedBody } from '../../openapi/request-body.decorator';

@RequireRoles('admin')
@Controller('v1/policy')
export class PublishPolicyController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Publishes the whole document as the next version; 409 when `expectedVersion` is not the current one. */
  @DocumentedBody(PublishPolicyDto)
  @Put()
  @HttpCode(201)
  publish(@Body() body: unknown, @RequestWriteContext() writeContext: WriteContext) {
    const { policy, expectedVersion, publishedBy, acknowledgedDeviations } = validatedBody(PublishPolicyDto, body);
    return this.commandBus.execute(
      new PublishPolicyCommand(policy, expectedVersion, writeContext, publishedBy ?? writeContext.writtenBy, acknowledgedDeviations),
    );
  }
}
