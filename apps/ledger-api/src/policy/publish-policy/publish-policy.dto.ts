import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class PublishPolicyDto {
  /** The version the author edited, as `GET /v1/policy` returned it: 1 before anything was published. */
  @IsInt({ message: 'must be the integer version the policy was edited from' })
  @Min(1)
  expectedVersion!: number;

  /** Checked field by field by the domain, which names every problem. */
  @IsObject({ message: 'must be the policy document, a JSON object' })
  policy!: Record<string, unknown>;

  /**
   * Policy fields knowingly set beyond a SHOULD of SP 800-63B-4 (§2.1.3, §2.2.3, §2.3.3), e.g.
   * `sessions.aal2.maxLifetimeSeconds`. Recorded in the published event; a deviation not listed here is refused,
   * and a limit beyond a SHALL is refused whatever is listed.
   */
  @IsOptional()
  @IsArray({ message: 'must be a list of policy field paths' })
  @ArrayMaxSize(20)
  @IsString({ each: true, message: 'must be a policy field path, e.g. sessions.aal2.maxLifetimeSeconds' })
  @MaxLength(100, { each: true })
  acknowledgedDeviations?: string[];
}
