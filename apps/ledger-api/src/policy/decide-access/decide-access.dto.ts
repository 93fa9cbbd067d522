import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsIP, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Channel, CHANNELS, RISK_LEVELS, RiskLevel } from '@ledger/domain';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;
const ID_MESSAGE = '$property must contain only letters, digits and . _ : @ + -';

export class DecisionContextDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  deviceId?: string;

  @IsOptional()
  @IsIP(undefined, { message: 'must be an IPv4 or IPv6 address' })
  ipAddress?: string;

  @IsOptional()
  @IsIn(RISK_LEVELS, { message: `must be one of: ${RISK_LEVELS.join(', ')}` })
  riskLevel?: RiskLevel;

  @IsArray({ message: 'must be an array of signal names (empty when there are none)' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  signals!: string[];
}

export class DecideAccessDto {
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  subjectId!: string;

  @IsIn(CHANNELS, { message: `must be one of: ${CHANNELS.join(', ')}` })
  channel!: Channel;

  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  applicationId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ID, { message: ID_MESSAGE })
  sessionId?: string;

  @IsObject({ message: 'must be an object with at least signals: []' })
  @ValidateNested()
  @Type(() => DecisionContextDto)
  context!: DecisionContextDto;
}
