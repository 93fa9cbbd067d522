import { SetMetadata } from '@nestjs/common';

export const REQUEST_BODY_DOCUMENTATION = 'ledger:request-body';

export interface RequestBodyDocumentation {
  /** The class-validator DTO the handler validates its body with. */
  dto: new () => object;
  /** Media types the route accepts, each with `single` (one DTO) or `array` (a JSON array of them). */
  mediaTypes?: Record<string, 'single' | 'array'>;
}

/**
 * For handlers that take `@Body() body: unknown` and validate it themselves
 * (to name nested fields by path): tells the OpenAPI document which DTO that is.
 */
export const DocumentedBody = (
  dto: new () => object,
  mediaTypes: RequestBodyDocumentation['mediaTypes'] = { 'application/json': 'single' },
) => SetMetadata(REQUEST_BODY_DOCUMENTATION, { dto, mediaTypes } satisfies RequestBodyDocumentation);
