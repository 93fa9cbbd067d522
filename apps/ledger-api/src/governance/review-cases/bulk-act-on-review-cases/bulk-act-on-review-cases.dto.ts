import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, REVIEW_CASE_OUTCOMES, REVIEW_SEVERITIES, ReviewCaseOutcome } from '@ledger/domain';
import { REVIEW_ITEM_KINDS } from '@ledger/domain/projections';
import { OptionalKeyNameParam } from '../../../shared/query-params';
import { BULK_CASE_LIMIT, BulkCaseFilter } from './bulk-act-on-review-cases.command';

const NOTE_LIMIT = 4000;
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*~[a-z-]+(~[A-Za-z0-9][A-Za-z0-9._:@+/-]*)?$/;

/** `take`: the caller takes every case selected. */
const BULK_ACTIONS = ['acknowledge', 'resolve', 'escalate', 'take'] as const;

export class BulkCaseFilterDto implements BulkCaseFilter {
  @IsIn(['open', 'acknowledged', 'escalated'], { message: 'status must be one of: open, acknowledged, escalated' })
  status!: 'open' | 'acknowledged' | 'escalated';

  @IsOptional()
  @IsIn(REVIEW_ITEM_KINDS)
  kind?: BulkCaseFilter['kind'];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@+/-]*$/, { message: '$property must be an application id' })
  applicationId?: string;

  @IsOptional()
  @IsIn(CHANNELS)
  channel?: BulkCaseFilter['channel'];

  @IsOptional()
  @IsIn(REVIEW_SEVERITIES)
  severity?: BulkCaseFilter['severity'];

  /** The reviewer holding the cases, as their key is named. */
  @OptionalKeyNameParam()
  assignee?: string;

  /** `true`: only cases nobody holds. */
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;
}

/**
 * Exactly one of `caseIds` (a selection) or `filter`; `action` with what that action needs: a
 * resolution one outcome and one note for every case, an escalation one reason.
 */
export class BulkActionDto {
  @IsIn(BULK_ACTIONS, { message: `action must be one of: ${BULK_ACTIONS.join(', ')}` })
  action!: (typeof BULK_ACTIONS)[number];

  @ValidateIf((body: BulkActionDto) => body.filter === undefined || body.caseIds !== undefined)
  @IsArray({ message: 'caseIds must be a list of case ids, or give a filter instead (not both)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_CASE_LIMIT, { message: `caseIds must hold at most ${BULK_CASE_LIMIT} case ids` })
  @IsString({ each: true })
  @Matches(CASE_ID, { each: true, message: 'each of caseIds must be a review case id as GET /v1/reviews lists it' })
  caseIds?: string[];

  @ValidateIf((body: BulkActionDto) => body.caseIds === undefined || body.filter !== undefined)
  @IsNotEmpty({ message: 'filter must select the cases, or give caseIds instead (not both)' })
  @ValidateNested()
  @Type(() => BulkCaseFilterDto)
  filter?: BulkCaseFilterDto;

  @ValidateIf((body: BulkActionDto) => body.action === 'resolve')
  @IsIn(REVIEW_CASE_OUTCOMES, { message: `outcome must be one of: ${REVIEW_CASE_OUTCOMES.join(', ')}` })
  outcome?: ReviewCaseOutcome;

  @ValidateIf((body: BulkActionDto) => body.action === 'resolve' || body.note !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'note must say why the cases are resolved this way' })
  @MaxLength(NOTE_LIMIT)
  note?: string;

  @ValidateIf((body: BulkActionDto) => body.action === 'escalate')
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the cases are escalated' })
  @MaxLength(NOTE_LIMIT)
  reason?: string;
}
