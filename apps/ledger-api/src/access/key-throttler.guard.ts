import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from './access.guard';

/**
 * Limits each API key, not each address: many emitters share a NAT, one key is one integration.
 * One budget per key across every route: a key at its limit on one route is at it on all of them.
 * Unauthenticated public routes (health, metrics, the console's files) are counted per address and route.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected async getTracker(request: Record<string, any>): Promise<string> {
    const principal = (request as AuthenticatedRequest).principal;
    return principal ? `key:${principal.keyId}` : `ip:${(request as AuthenticatedRequest).ip}`;
  }

  protected generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    if (tracker.startsWith('key:')) return createHash('sha256').update(`${throttlerName}-${tracker}`).digest('hex');
    return super.generateKey(context, tracker, throttlerName);
  }
}
