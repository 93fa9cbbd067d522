import { Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Post, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { LEDGER_CONFIG, LedgerConfig } from '@ledger/core';
import { InvalidEventsError, PayloadTooLargeError } from '@ledger/core';
import { CloudEventEnvelopeDto, IncomingCloudEvent, parseCloudEvent } from './cloud-event.dto';
import { RecordEventsCommand } from './record-events.command';
import { WriteContext } from '@ledger/core';
import { RequireRoles } from '../../access/roles';
import { CurrentPrincipal } from '../../access/current-principal.decorator';
import type { Principal } from '@ledger/core';
import { RequestWriteContext } from '../../shared/write-context.decorator';
import { DocumentedBody } from '../../openapi/request-body.decorator';
import { eventFromBinaryMode, IncomingHeaders, isBinaryMode } from './binary-mode';

export const STRUCTURED_MEDIA_TYPES = ['application/cloudevents+json', 'application/json'];
export const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** An emitter key limited to some sources may not write for others: that would let one system speak for another. */
function refuseForeignSources(events: IncomingCloudEvent[], principal: Principal | undefined): void {
  const allowed = principal?.sources;
  if (!allowed) return;
  const foreign = events.flatMap((event, index) => (allowed.includes(event.source) ? [] : [{ index, source: event.source }]));
  if (foreign.length > 0) {
    throw new ForbiddenException({
      statusCode: 403,
      error: 'source-not-allowed',
      message: `this key may write only for the sources: ${allowed.join(', ')}`,
      events: foreign,
    });
  }
}

@RequireRoles('emitter')
@Controller('v1/events')
export class RecordEventsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /**
   * CloudEvents 1.0 in structured mode (one event) or batch mode (an array).
   * Answers 201 when anything new was recorded, 200 when every event was
   * already in the ledger.
   */
  @DocumentedBody(CloudEventEnvelopeDto, {
    'application/cloudevents+json': 'single',
    'application/json': 'single',
    [BATCH_MEDIA_TYPE]: 'array',
  })
  @Post()
  @HttpCode(201)
  async record(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers() headers: IncomingHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal | undefined,
    @RequestWriteContext() writeContext: WriteContext,
  ) {
    const events = this.parseBody(body, mediaTypeOf(contentType), headers);
    refuseForeignSources(events, principal);
    const results = await this.commandBus.execute(new RecordEventsCommand(events, writeContext));
    if (results.every((result) => result.status === 'duplicate')) reply.status(200);
    return { results };
  }

  private parseBody(body: unknown, mediaType: string, headers: IncomingHeaders): IncomingCloudEvent[] {
    let rawEvents: unknown[];
    if (mediaType === 'application/json' && isBinaryMode(headers)) {
      // HTTP binding §3.1: binary mode, attributes in ce- headers and the body as data. Only
      // application/cloudevents+json is structured when ce- headers are present as well.
      rawEvents = [eventFromBinaryMode(headers, body, mediaType)];
    } else if (mediaType === BATCH_MEDIA_TYPE) {
      if (!Array.isArray(body))
        throw new InvalidEventsError([{ index: 0, field: '', reason: `a ${BATCH_MEDIA_TYPE} body must be a JSON array of events` }]);
      if (body.length === 0) throw new InvalidEventsError([{ index: 0, field: '', reason: 'a batch must hold at least one event' }]);
      if (body.length > this.config.maxBatchSize) {
        throw new PayloadTooLargeError(`a batch holds at most ${this.config.maxBatchSize} events, got ${body.length}`);
      }
      rawEvents = body;
    } else if (STRUCTURED_MEDIA_TYPES.includes(mediaType)) {
      if (Array.isArray(body)) {
        throw new InvalidEventsError([
          { index: 0, field: '', reason: `send arrays as ${BATCH_MEDIA_TYPE}; ${mediaType} carries one event` },
        ]);
      }
      rawEvents = [body];
    } else {
      throw new UnsupportedMediaTypeException(
        `content type must be one of ${[...STRUCTURED_MEDIA_TYPES, BATCH_MEDIA_TYPE].join(', ')}, got "${mediaType || 'none'}"`,
      );
    }
    const parsed = rawEvents.map((raw, index) => parseCloudEvent(raw, index));
    const issues = parsed.flatMap((result) => result.issues);
    if (issues.length > 0) throw new InvalidEventsError(issues);
    return parsed.map((result) => result.event!);
  }
}
