import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InvalidRequestError, validatedBody } from '../../shared/invalid-request';
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
    // Who published is the key that did it, never what the body claims.
    if (typeof body === 'object' && body !== null && Object.hasOwn(body, 'publishedBy')) {
      throw new InvalidRequestError('invalid-request', 'publishedBy is taken from the API key', [
        { field: 'publishedBy', reason: 'may not be sent: the publisher is the API key that makes the request' },
      ]);
    }
    const { policy, expectedVersion, acknowledgedDeviations } = validatedBody(PublishPolicyDto, body);
    return this.commandBus.execute(
      new PublishPolicyCommand(policy, expectedVersion, writeContext, writeContext.writtenBy, acknowledgedDeviations),
    );
  }
}
