import { BadRequestException } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { acceptorOf } from '@ledger/domain';

export interface RequestFieldIssue {
  /** Dotted path inside the request body, e.g. `context.signals[0]` or `policy.sessions.aal2.idleTimeoutSeconds`. */
  field: string;
  reason: string;
}

/** 400 with every problem, in the same shape as the global validation pipe's answers. */
export class InvalidRequestError extends BadRequestException {
  constructor(
    error: string,
    message: string,
    readonly issues: RequestFieldIssue[],
  ) {
    super({ statusCode: 400, error, message, errors: issues });
  }
}

/**
 * Validates a JSON body against a class-validator DTO and names nested fields
 * by their full path; the global pipe only names the top-level property.
 */
export function validatedBody<T extends object>(dtoClass: ClassConstructor<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('invalid-request', 'the body must be a JSON object', [{ field: '', reason: 'must be a JSON object' }]);
  }
  const instance = plainToInstance(dtoClass, body);
  // An accepted body skips class-validator's generic executor; a refused one is worded by it.
  if (acceptorOf(dtoClass, { closed: true })(body)) return instance;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidRequestError('invalid-request', 'invalid request body', fieldIssuesOf(errors));
  return instance;
}

/** class-validator's tree of errors as one list, each naming its field by full path. */
export function fieldIssuesOf(errors: ValidationError[], prefix = ''): RequestFieldIssue[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...fieldIssuesOf(error.children ?? [], field)];
  });
}
