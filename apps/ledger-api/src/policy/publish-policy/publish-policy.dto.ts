import { IsInt, IsObject, Min } from 'class-validator';

export class PublishPolicyDto {
  /** The version the author edited, as `GET /v1/policy` returned it: 1 before anything was published. */
  @IsInt({ message: 'must be the integer version the policy was edited from' })
  @Min(1)
  expectedVersion!: number;

  /** Checked field by field by the domain, which names every problem. */
  @IsObject({ message: 'must be the policy document, a JSON object' })
  policy!: Record<string, unknown>;
}
