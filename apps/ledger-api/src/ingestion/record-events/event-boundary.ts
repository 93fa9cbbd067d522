import { LEDGER_SOURCE } from '@ledger/domain';
import { InvalidEventsError } from '@ledger/core';
import type { FieldIssue } from '@ledger/core';

/** C0 and C1 control characters (NUL, newlines, escapes...): never part of a source, an id or a schema URI. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
export const NO_CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters';

/** Any source spelled like the ledger's own, in any case or with anything after it, is the ledger's. */
export function isReservedSource(source: string): boolean {
  return source.trim().toLowerCase().startsWith(LEDGER_SOURCE);
}

export function reservedSourceIssue(index: number): FieldIssue {
  return { index, field: 'source', reason: `sources starting with "${LEDGER_SOURCE}" are reserved for events the ledger writes itself` };
}

/** The ledger writes under its own source; an emitter claiming it, or a source that starts like it, is refused. */
export function refuseReservedSources(events: ReadonlyArray<{ source: string }>): void {
  const issues = events.flatMap((event, index) => (isReservedSource(event.source) ? [reservedSourceIssue(index)] : []));
  if (issues.length > 0) throw new InvalidEventsError(issues);
}
