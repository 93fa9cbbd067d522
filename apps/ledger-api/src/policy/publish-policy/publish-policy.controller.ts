import { Body, Controller, Headers, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { validatedBody } from '../../shared/invalid-request';
import { PublishPolicyCommand } from './publish-policy.command';
import { PublishPolicyDto } from './publish-policy.dto';

@Controller('v1/policy')
export class PublishPolicyController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Publishes the whole document as the next version; 409 when `expectedVersion` is not the current one. */
  @Put()
  @HttpCode(201)
  publish(
    @Body() body: unknown,
    @Headers('x-correlation-id') correlationHeader: string | undefined,
    @Headers('x-request-id') requestHeader: string | undefined,
  ) {
    const { policy, expectedVersion, publishedBy } = validatedBody(PublishPolicyDto, body);
    const requestId = requestHeader?.slice(0, 200) || randomUUID();
    const context = { causationId: requestId, correlationId: correlationHeader?.slice(0, 200) || requestId };
    return this.commandBus.execute(new PublishPolicyCommand(policy, expectedVersion, context, publishedBy));
  }
}
