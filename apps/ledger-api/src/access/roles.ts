import { SetMetadata } from '@nestjs/common';

/** What a caller may do; a key holds one or more roles. */
export const ROLES = ['emitter', 'helpdesk', 'reviewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const REQUIRED_ROLES = 'ledger:required-roles';
export const PUBLIC_ROUTE = 'ledger:public-route';

/** The route answers callers holding at least one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The route needs no key (health checks only). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
