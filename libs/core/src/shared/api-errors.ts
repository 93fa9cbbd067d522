/** One problem with one field of one event in a request. */
export interface FieldIssue {
  /** Position of the event in the batch; 0 in structured mode. */
  index: number;
  /** Dotted path inside the CloudEvent, e.g. `data.methods[0].kind`. */
  field: string;
  reason: string;
}

/** Enough to fix a request; a hostile one could otherwise make the answer larger than the request. */
const MAX_REPORTED_ISSUES = 100;

/** 400: the request is malformed; nothing from it was stored. */
export class InvalidEventsError extends Error {
  readonly name = 'InvalidEventsError';
  readonly issues: FieldIssue[];
  readonly issueCount: number;
  constructor(issues: FieldIssue[]) {
    super(`${issues.length} problem(s) in the submitted events; nothing was stored`);
    this.issues = issues.slice(0, MAX_REPORTED_ISSUES);
    this.issueCount = issues.length;
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

/** 422: an idempotency key this caller used before came back with a different request body. */
export class IdempotencyKeyMismatchError extends Error {
  readonly name = 'IdempotencyKeyMismatchError';
  constructor(message = 'this Idempotency-Key was used before with a different request; use a new key for a new request') {
    super(message);
  }
}
