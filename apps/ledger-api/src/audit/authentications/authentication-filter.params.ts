import { IsIn, IsOptional } from 'class-validator';
import { CHANNELS, Channel } from '@ledger/domain';
import { AUTHENTICATION_VERDICTS, AuthenticationVerdictFilter } from '@ledger/domain/projections';
import type { AuthenticationFilter } from '@ledger/read-models';
import { InvalidQueryError } from '@ledger/core';
import { MinPositionParams } from '../../projections/read-consistency';
import { OptionalIdParam, OptionalIntParam, OptionalTimeParam, PageCursorParam } from '../../shared/query-params';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;

/** The filters shared by the authentications page and its count. */
export class AuthenticationFilterParams extends MinPositionParams {
  @OptionalIdParam(ID, '$property must be an application id')
  applicationId?: string;

  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @OptionalIdParam(ID, '$property must contain only letters, digits and . _ : @ + -')
  subjectId?: string;

  /** Inclusive, RFC 3339: when the authentication happened. */
  @OptionalTimeParam()
  from?: string;

  /** Inclusive, RFC 3339. */
  @OptionalTimeParam()
  to?: string;

  @IsOptional()
  @IsIn(AUTHENTICATION_VERDICTS)
  verdict?: AuthenticationVerdictFilter;

  @OptionalIntParam(0, 3)
  minAal?: number;
}

export class ListAuthenticationsParams extends AuthenticationFilterParams {
  @OptionalIntParam(1, 500)
  limit?: number;

  @PageCursorParam()
  cursor?: string;
}

/** The read model's filter, times normalised the way it stores them; rules across fields are checked here. */
export function toAuthenticationFilter(params: AuthenticationFilterParams): AuthenticationFilter {
  const from = params.from === undefined ? undefined : new Date(params.from).toISOString();
  const to = params.to === undefined ? undefined : new Date(params.to).toISOString();
  if (from !== undefined && to !== undefined && from > to) throw new InvalidQueryError('to', 'must not be earlier than from');
  return {
    ...(params.applicationId !== undefined && { applicationId: params.applicationId }),
    ...(params.channel !== undefined && { channel: params.channel }),
    ...(params.subjectId !== undefined && { subjectId: params.subjectId }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(params.verdict !== undefined && { verdict: params.verdict }),
    ...(params.minAal !== undefined && { minAal: params.minAal }),
  };
}
