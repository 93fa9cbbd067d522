import { InvalidEventsError } from '@ledger/core';

/** CloudEvents HTTP binding §3.1.3: every context attribute travels as a `ce-` header. */
const CE_PREFIX = 'ce-';

export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Binary mode is chosen by the sender: a `ce-specversion` header on a body that is not a CloudEvents media type. */
export function isBinaryMode(headers: IncomingHeaders): boolean {
  return headers[`${CE_PREFIX}specversion`] !== undefined;
}

/**
 * The event a binary-mode request carries: its attributes from the `ce-` headers (percent-decoded,
 * as §3.1.3.2 asks), its `data` the body itself. The result is then checked like a structured event.
 */
export function eventFromBinaryMode(headers: IncomingHeaders, body: unknown, mediaType: string): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const issues: Array<{ index: number; field: string; reason: string }> = [];
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith(CE_PREFIX) || raw === undefined) continue;
    const attribute = name.slice(CE_PREFIX.length);
    if (Array.isArray(raw)) {
      issues.push({ index: 0, field: attribute, reason: `the ${name} header may be sent once` });
      continue;
    }
    try {
      event[attribute] = decodeURIComponent(raw);
    } catch {
      issues.push({ index: 0, field: attribute, reason: `the ${name} header is not valid percent-encoded UTF-8` });
    }
  }
  if (event.data !== undefined)
    issues.push({ index: 0, field: 'data', reason: 'in binary mode the body is the data; ce-data is not allowed' });
  if (issues.length > 0) throw new InvalidEventsError(issues);
  if (event.datacontenttype === undefined) event.datacontenttype = mediaType;
  event.data = body;
  return event;
}
