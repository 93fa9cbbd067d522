import { IsString, Matches, MaxLength } from 'class-validator';

export class SubjectIdParams {
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/, { message: '$property must contain only letters, digits and . _ : @ + -' })
  subjectId: string;
}
