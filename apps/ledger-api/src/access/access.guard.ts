import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRegistry, FailedAuthenticationLimiter, Principal } from '@ledger/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './roles';
import type { Role } from '@ledger/core';

export const API_KEY_REGISTRY = Symbol('API_KEY_REGISTRY');
export const FAILED_AUTHENTICATION_LIMITER = Symbol('FAILED_AUTHENTICATION_LIMITER');

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every route needs a key unless it is marked public, and a route that does
 * not declare its roles is for admins only: forgetting to declare fails closed.
 * Neither answer says anything about the resource asked for.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_REGISTRY) private readonly registry: ApiKeyRegistry,
    @Inject(FAILED_AUTHENTICATION_LIMITER) private readonly failures: FailedAuthenticationLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const reply = http.getResponse<FastifyReply>();
    // An address that failed too often is refused before its key is hashed; a key that
    // verified before costs nothing to check and is still let through.
    if (presented && !this.registry.isRemembered(presented)) {
      const retryAfter = this.failures.retryAfterSeconds(request.ip);
      if (retryAfter > 0) {
        reply.header('Retry-After', String(retryAfter));
        throw new HttpException(
          {
            statusCode: 429,
            error: 'too-many-failed-authentications',
            message: `too many failed authentications from this address; retry in ${retryAfter} s`,
            errors: [{ field: 'authorization', reason: 'too many invalid API keys were presented from this address' }],
          },
          429,
        );
      }
    }
    const principal = await this.registry.authenticate(presented);
    if (!principal) {
      if (presented) this.failures.recordFailure(request.ip);
      reply.header('WWW-Authenticate', 'Bearer realm="assurance-ledger"');
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'unauthenticated',
        message: presented ? 'the API key is not valid' : 'an API key is required: Authorization: Bearer <key>',
      });
    }
    request.principal = principal;

    const allowed = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? ['admin'];
    if (!allowed.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'forbidden',
        message: `this route needs one of the roles: ${allowed.join(', ')}`,
      });
    }
    return true;
  }
}
