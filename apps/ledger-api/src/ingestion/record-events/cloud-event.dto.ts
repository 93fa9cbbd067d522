import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, validateSync, ValidationError } from 'class-validator';
import { acceptorOf, EVENT_TYPES, EventType, IsRfc3339DateTime, validateEventData } from '@ledger/domain';
import { FieldIssue } from '@ledger/core';
import { exceedsJsonDepth } from '../../shared/json-bounds';
import { isReservedSource, NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE, reservedSourceIssue } from './event-boundary';

/**
 * The context attributes of a CloudEvents 1.0 event as the ledger accepts
 * it. `subject` is required because every event belongs to a subject stream,
 * and `time` because the ledger reasons about when things happened.
 */
export class CloudEventEnvelopeDto {
  @IsIn(['1.0'], { message: 'must be "1.0"' })
  specversion: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(NO_CONTROL_CHARACTERS, { message: NO_CONTROL_CHARACTERS_MESSAGE })
  id: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  @Matches(NO_CONTROL_CHARACTERS, { message: NO_CONTROL_CHARACTERS_MESSAGE })
  source: string;

  @IsIn(EVENT_TYPES as readonly string[], { message: `must be one of the catalog types: ${EVENT_TYPES.join(', ')}` })
  type: EventType;

  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/, {
    message: 'must start with a letter or digit and contain only letters, digits and . _ : @ + -',
  })
  subject: string;

  @IsRfc3339DateTime()
  time: string;

  @IsOptional()
  @IsIn(['application/json'], { message: 'must be "application/json" when present' })
  datacontenttype?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(NO_CONTROL_CHARACTERS, { message: NO_CONTROL_CHARACTERS_MESSAGE })
  dataschema?: string;

  @IsObject({ message: 'must be a JSON object' })
  data: Record<string, unknown>;
}

const CONTEXT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data']);

/** Extension attributes are checked below, so the envelope's own rules leave other properties open. */
const acceptsEnvelope = acceptorOf(CloudEventEnvelopeDto, { closed: false });

/** class-validator's verdict on the context attributes; it alone words the issues. */
export function envelopeIssues(body: Record<string, unknown>, index: number): FieldIssue[] {
  // The declared attributes only, assigned by name: `data` and the extensions are checked below, and
  // class-transformer would throw on an attribute holding an object with a `constructor` key.
  const envelope = new CloudEventEnvelopeDto();
  for (const name of CONTEXT_ATTRIBUTES) if (name in body) Object.assign(envelope, { [name]: body[name] });
  return flatten(validateSync(envelope, { forbidUnknownValues: true }), index);
}

/** CloudEvents extension attribute names: lower-case letters and digits. */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const MAX_EXTENSION_VALUE_LENGTH = 1000;
/** No catalog type nests deeper than this; deeper input is hostile and would strain the validators. */
const MAX_EVENT_DEPTH = 8;

export interface IncomingCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype?: string;
  dataschema?: string;
  /** Extension attributes such as `correlationid`, kept as sent. */
  extensions: Record<string, string | number | boolean>;
  data: Record<string, unknown>;
}

function flatten(errors: ValidationError[], index: number, prefix = ''): FieldIssue[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    // class-validator starts its messages with the property name; the field already says it.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      index,
      field,
      reason: message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...flatten(error.children ?? [], index, field)];
  });
}

/**
 * Checks one event against the envelope rules and the catalog. Returns the
 * typed event, or the list of everything wrong with it.
 */
export function parseCloudEvent(raw: unknown, index: number): { event?: IncomingCloudEvent; issues: FieldIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ index, field: '', reason: 'each event must be a JSON object' }] };
  }
  if (exceedsJsonDepth(raw, MAX_EVENT_DEPTH)) {
    return { issues: [{ index, field: '', reason: `an event may nest at most ${MAX_EVENT_DEPTH} levels deep` }] };
  }
  const body = raw as Record<string, unknown>;
  const issues = acceptsEnvelope(body) ? [] : envelopeIssues(body, index);

  const extensions: IncomingCloudEvent['extensions'] = {};
  for (const [name, value] of Object.entries(body)) {
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    if (!EXTENSION_NAME.test(name)) {
      issues.push({
        index,
        field: name,
        reason: `${name} is not a CloudEvents attribute; extension names are 1-20 lower-case letters or digits`,
      });
    } else if (!['string', 'number', 'boolean'].includes(typeof value)) {
      issues.push({ index, field: name, reason: `extension ${name} must be a string, number or boolean` });
    } else if (typeof value === 'string' && value.length > MAX_EXTENSION_VALUE_LENGTH) {
      issues.push({ index, field: name, reason: `extension ${name} must be at most ${MAX_EXTENSION_VALUE_LENGTH} characters` });
    } else if (typeof value === 'string' && !NO_CONTROL_CHARACTERS.test(value)) {
      issues.push({ index, field: name, reason: `extension ${name} ${NO_CONTROL_CHARACTERS_MESSAGE}` });
    } else {
      extensions[name] = value as string | number | boolean;
    }
  }

  if (typeof body.source === 'string' && isReservedSource(body.source)) issues.push(reservedSourceIssue(index));

  const typeIsKnown = (EVENT_TYPES as readonly string[]).includes(body.type as string);
  const dataIsObject = typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data);
  if (typeIsKnown && dataIsObject) {
    for (const issue of validateEventData(body.type as EventType, body.data)) {
      const field = issue.path ? `data.${issue.path}` : 'data';
      issues.push({ index, field, reason: issue.reason });
    }
  }
  if (issues.length > 0) return { issues };

  const envelope = body as unknown as CloudEventEnvelopeDto;
  return {
    event: {
      specversion: '1.0',
      id: envelope.id,
      source: envelope.source,
      type: envelope.type,
      subject: envelope.subject,
      time: envelope.time,
      ...(envelope.datacontenttype !== undefined && { datacontenttype: envelope.datacontenttype }),
      ...(envelope.dataschema !== undefined && { dataschema: envelope.dataschema }),
      extensions,
      data: body.data as Record<string, unknown>,
    },
    issues: [],
  };
}
