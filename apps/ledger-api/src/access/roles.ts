import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ledger/core';

export const REQUIRED_ROLES = 'ledger:required-roles';
export const PUBLIC_ROUTE = 'ledger:public-route';

/** The route answers callers holding at least one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The route needs no key (health checks only). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
