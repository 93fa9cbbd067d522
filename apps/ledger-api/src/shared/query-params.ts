import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsRfc3339DateTime } from '@ledger/domain';
import { MinPositionParams } from '../projections/read-consistency';

/** A period of time in a query string; both ends inclusive, RFC 3339, each optional. */
export class TimeRangeParams {
  /** Inclusive, RFC 3339; absent: from the first event. */
  @OptionalTimeParam()
  from?: string;

  /** Inclusive, RFC 3339; absent: up to now. */
  @OptionalTimeParam()
  to?: string;
}

/** An optional RFC 3339 date-time with an explicit offset. */
export function OptionalTimeParam() {
  return applyDecorators(IsOptional(), IsRfc3339DateTime());
}

/** One page of a list, read at least as fresh as `minPosition`. */
export class PageParams extends MinPositionParams {
  @OptionalIntParam(1, 500)
  limit?: number;

  @PageCursorParam()
  cursor?: string;
}

/** An optional whole number in a query string, from `min` to `max`: a page size, a revision. */
export function OptionalIntParam(min: number, max?: number) {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/** An optional identifier in a query string: at most 200 characters of the given alphabet. */
export function OptionalIdParam(alphabet: RegExp, message: string) {
  return applyDecorators(IsOptional(), IsString(), MaxLength(200), Matches(alphabet, { message }));
}

/** An optional API key name, as a reviewer's key is named (an assignee): any text, at most 200 characters. */
export function OptionalKeyNameParam() {
  return applyDecorators(IsOptional(), IsString(), IsNotEmpty(), MaxLength(200));
}

/** The opaque cursor a previous page returned. */
export function PageCursorParam() {
  return applyDecorators(IsOptional(), IsString(), MaxLength(1000));
}
