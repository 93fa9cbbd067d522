import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REVIEW_CASE_OUTCOMES, ReviewCaseOutcome } from '@ledger/domain';

const NOTE_LIMIT = 4000;

export class ReviewCaseIdParams {
  /** `<subjectId>~<kind>`, with `~<applicationId>` for a rule broken in an application, as `GET /v1/reviews` lists it. */
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*~[a-z-]+(~[A-Za-z0-9][A-Za-z0-9._:@+/-]*)?$/, {
    message: '$property must be a review case id as GET /v1/reviews lists it',
  })
  id: string;
}

export class AcknowledgeCaseDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_LIMIT)
  note?: string;
}

export class ResolveCaseDto {
  @IsIn(REVIEW_CASE_OUTCOMES, { message: `outcome must be one of: ${REVIEW_CASE_OUTCOMES.join(', ')}` })
  outcome!: ReviewCaseOutcome;

  @IsString()
  @IsNotEmpty({ message: 'note must say why the case is resolved this way' })
  @MaxLength(NOTE_LIMIT)
  note!: string;
}

export class EscalateCaseDto {
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the case is escalated' })
  @MaxLength(NOTE_LIMIT)
  reason!: string;
}
