/** 503: the read models have not reached the position the caller asked for within the wait. */
export class ReadModelBehindError extends Error {
  readonly name = 'ReadModelBehindError';
  constructor(
    readonly minPosition: number,
    readonly position: number,
    readonly waitedMs: number,
  ) {
    super(`the read models are at position ${position}, short of the requested minPosition ${minPosition}, after waiting ${waitedMs} ms`);
  }
}

/** 400 for a query parameter that passes its own validation but not the query's rules (e.g. from after to). */
export class InvalidQueryError extends Error {
  readonly name = 'InvalidQueryError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Seconds a client should wait before asking again when the read models are behind. */
export const READ_MODEL_RETRY_AFTER_SECONDS = 1;
