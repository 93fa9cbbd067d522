/** One problem with one field of one event in a request. */
export interface FieldIssue {
  /** Position of the event in the batch; 0 in structured mode. */
  index: number;
  /** Dotted path inside the CloudEvent, e.g. `data.methods[0].kind`. */
  field: string;
  reason: string;
}

/** 400: the request is malformed; nothing from it was stored. */
export class InvalidEventsError extends Error {
  readonly name = 'InvalidEventsError';
  constructor(readonly issues: FieldIssue[]) {
    super(`${issues.length} problem(s) in the submitted events; nothing was stored`);
  }
}

/** 409: the request contradicts what the ledger already holds. */
export class LedgerConflictError extends Error {
  readonly name = 'LedgerConflictError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: Array<Record<string, unknown>> = [],
  ) {
    super(message);
  }
}

/** 413: the request is larger than the ledger accepts. */
export class PayloadTooLargeError extends Error {
  readonly name = 'PayloadTooLargeError';
}

/** 404 */
export class NotFoundError extends Error {
  readonly name = 'NotFoundError';
}
