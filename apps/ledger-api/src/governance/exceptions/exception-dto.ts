import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AUTHENTICATOR_KINDS, AuthenticatorKind, Channel, CHANNELS, EXCEPTION_STATUSES, ExceptionStatus } from '@ledger/domain';

export const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;
export const ID_MESSAGE = '$property must contain only letters, digits and . _ : @ + -';
/** RFC 3339 with an explicit offset: an expiry must not depend on the server's time zone. */
export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export class ExceptionScopeDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  subjectId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  applicationId?: string;

  @IsOptional()
  @IsIn(CHANNELS, { message: `must be one of: ${CHANNELS.join(', ')}` })
  channel?: Channel;
}

export class RequestExceptionDto {
  @IsObject({ message: 'must be an object naming at least one of subjectId, applicationId, channel' })
  @ValidateNested()
  @Type(() => ExceptionScopeDto)
  scope!: ExceptionScopeDto;

  @IsArray({ message: 'must be a list of authenticator kinds' })
  @ArrayNotEmpty({ message: 'must name at least one method' })
  @ArrayMaxSize(AUTHENTICATOR_KINDS.length)
  @ArrayUnique({ message: 'must not repeat a method' })
  @IsIn(AUTHENTICATOR_KINDS, { each: true, message: `each must be one of: ${AUTHENTICATOR_KINDS.join(', ')}` })
  allowedMethods!: AuthenticatorKind[];

  @IsString()
  @MinLength(10, { message: 'must say why, in at least 10 characters' })
  @MaxLength(2000)
  justification!: string;

  /** Mandatory: there is no exception without an expiry. */
  @IsString({ message: 'is required: every exception expires' })
  @Matches(RFC3339, { message: 'must be an RFC 3339 time with an offset, e.g. 2027-01-31T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'must be a valid date and time' })
  expiresAt!: string;

  /** The exception this request renews. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  renews?: string;
}

export class ApproveExceptionDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note!: string;

  /** Defaults to the requested expiry; may be earlier, never later. */
  @IsOptional()
  @IsString()
  @Matches(RFC3339, { message: 'must be an RFC 3339 time with an offset, e.g. 2027-01-31T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'must be a valid date and time' })
  expiresAt?: string;
}

export class ExceptionReasonDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class ExceptionIdParams {
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  exceptionId!: string;
}

/** The list filters by the same fields that scope an exception, and by status. */
export class ListExceptionsParams extends ExceptionScopeDto {
  @IsOptional()
  @IsIn(EXCEPTION_STATUSES, { message: `must be one of: ${EXCEPTION_STATUSES.join(', ')}` })
  status?: ExceptionStatus;
}
