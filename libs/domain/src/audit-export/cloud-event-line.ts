import { ExportableEvent, metadataString } from './exportable-event';

/**
 * One JSONL export line: the event as the CloudEvent it arrived as, plus its
 * place in the ledger as extension attributes. Lines of ingested types can be
 * posted back to another ledger as they are.
 */
export function toCloudEventLine(event: ExportableEvent): Record<string, unknown> {
  const extensions = (event.metadata.extensions ?? {}) as Record<string, unknown>;
  return {
    specversion: '1.0',
    id: metadataString(event, 'cloudEventId'),
    source: metadataString(event, 'source'),
    type: event.type,
    subject: metadataString(event, 'subject'),
    time: metadataString(event, 'time'),
    datacontenttype: 'application/json',
    ...(metadataString(event, 'dataschema') !== undefined && { dataschema: metadataString(event, 'dataschema') }),
    ...extensions,
    correlationid: metadataString(event, 'correlationId'),
    causationid: metadataString(event, 'causationId'),
    ledgerstream: event.streamId,
    ledgerrevision: event.revision,
    ledgerposition: event.position,
    ledgerrecordedat: metadataString(event, 'recordedAt'),
    ledgerhash: metadataString(event, 'hash'),
    ledgerprevhash: metadataString(event, 'prevHash'),
    // Who wrote it: the API key's name and public id, taken from the key, never from a request body.
    ...(metadataString(event, 'writtenBy') !== undefined && { ledgerwrittenby: metadataString(event, 'writtenBy') }),
    ...(metadataString(event, 'writtenByKeyId') !== undefined && { ledgerkeyid: metadataString(event, 'writtenByKeyId') }),
    data: event.data,
  };
}
