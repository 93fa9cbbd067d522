import { STATUS_CODES } from 'node:http';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Problem types are URNs: stable names to switch on, listed in docs/api.md, not pages to fetch. */
export const PROBLEM_TYPE_PREFIX = 'urn:assurance-ledger:problem:';

/** One entry of `errors[]`: which field of the request is wrong and why; batches add the event's `index`. */
export interface ProblemFieldError {
  field: string;
  reason: string;
  index?: number;
}

/**
 * RFC 9457 problem details, the one shape of every error the API answers.
 * `code` repeats the last segment of `type` for clients that switch on a
 * short string; extension members (e.g. `conflicts`, `minPosition`) carry
 * what a client needs to act on that particular problem.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: ProblemFieldError[];
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

/** Titles stay the same for every occurrence of a type, as RFC 9457 asks; `detail` says what happened this time. */
const TITLES: Record<string, string> = {
  'invalid-request': 'The request is not valid',
  'invalid-events': 'Some submitted events are not valid',
  unauthenticated: 'An API key is required',
  forbidden: 'The API key may not do this',
  'source-not-allowed': 'The API key may not write for this source',
  'not-found': 'Not found',
  'idempotency-key-reused': 'The same source and id were recorded with different content',
  'idempotency-key-mismatch': 'The Idempotency-Key was used before with a different request',
  'payload-too-large': 'The request is too large',
  'uri-too-long': 'A path segment of the URL is too long',
  'unsupported-media-type': 'The content type is not accepted',
  'rate-limited': 'Too many requests for this API key',
  'too-many-failed-authentications': 'Too many failed authentications from this address',
  'store-unavailable': 'The event store is unavailable',
  'read-model-behind': 'The read models have not reached the requested position',
  'not-ready': 'The service is not ready',
  internal: 'Internal error',
};

/** The code a status implies when the thrower named none. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  500: 'internal',
  503: 'unavailable',
};

const CODE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function problemCodeFor(status: number, code?: unknown): string {
  if (typeof code === 'string' && CODE_PATTERN.test(code)) return code;
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'invalid-request');
}

export interface ProblemInput {
  status: number;
  code?: string;
  detail?: string;
  errors?: ProblemFieldError[];
  extensions?: Record<string, unknown>;
}

/** Builds the document; extension members never overwrite the standard ones. */
export function problem({ status, code, detail, errors = [], extensions = {} }: ProblemInput): ProblemDetails {
  const resolved = problemCodeFor(status, code);
  const title = TITLES[resolved] ?? STATUS_CODES[status] ?? 'Error';
  return {
    ...extensions,
    type: `${PROBLEM_TYPE_PREFIX}${resolved}`,
    title,
    status,
    detail: detail ?? title,
    code: resolved,
    errors,
  };
}

function isFieldError(value: unknown): value is ProblemFieldError {
  return typeof value === 'object' && value !== null && typeof (value as ProblemFieldError).field === 'string';
}

/**
 * Reads the bodies Nest exceptions carry, whatever their age: `{ error, message, errors, ...}`
 * written by this code base, Nest's own `{ statusCode, message, error: 'Not Found' }`,
 * or a bare string. Other members become extensions, so nothing a thrower added is lost.
 */
export function problemFromExceptionBody(status: number, body: unknown): ProblemDetails {
  if (typeof body === 'string') return problem({ status, detail: body });
  if (typeof body !== 'object' || body === null) return problem({ status });
  const {
    statusCode: _statusCode,
    status: _status,
    error,
    code,
    message,
    detail,
    errors,
    type: _type,
    title: _title,
    ...rest
  } = body as Record<string, unknown>;
  const messages = Array.isArray(message) ? message.map(String) : [];
  const fieldErrors = Array.isArray(errors)
    ? errors.filter(isFieldError)
    : messages.map((text) => ({ field: text.split(' ')[0] ?? '', reason: text }));
  const text = typeof detail === 'string' ? detail : typeof message === 'string' ? message : messages.join('; ') || undefined;
  return problem({ status, code: (code ?? error) as string | undefined, detail: text, errors: fieldErrors, extensions: rest });
}
