import { Controller, Get } from '@nestjs/common';
import type { Principal } from '@ledger/core';
import { CurrentPrincipal } from '../current-principal.decorator';
import { Role, ROLES } from '@ledger/core';
import { RequireRoles } from '../roles';

export interface WhoamiView {
  /** The key's name, never the key. */
  keyName: string;
  roles: Role[];
  /** CloudEvents sources an emitter key is limited to; absent means any. */
  sources?: string[];
}

/** Lets a client (the console) offer only the actions the caller's roles allow. */
@RequireRoles(...ROLES)
@Controller('v1/whoami')
export class WhoamiController {
  @Get()
  whoami(@CurrentPrincipal() principal: Principal): WhoamiView {
    return { keyName: principal.keyName, roles: principal.roles, ...(principal.sources && { sources: principal.sources }) };
  }
}
