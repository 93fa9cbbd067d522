import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './access.guard';

/** Limits each API key, not each address: many emitters share a NAT, one key is one integration. */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected async getTracker(request: Record<string, any>): Promise<string> {
    const principal = (request as AuthenticatedRequest).principal;
    return principal ? `key:${principal.keyName}` : `ip:${(request as AuthenticatedRequest).ip}`;
  }
}
