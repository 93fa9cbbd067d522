import { IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class PublishPolicyDto {
  /** The version the author edited, as `GET /v1/policy` returned it: 1 before anything was published. */
  @IsInt({ message: 'must be the integer version the policy was edited from' })
  @Min(1)
  expectedVersion!: number;

  /** Checked field by field by the domain, which names every problem. */
  @IsObject({ message: 'must be the policy document, a JSON object' })
  policy!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/, { message: 'must contain only letters, digits and . _ : @ + -' })
  publishedBy?: string;
}
