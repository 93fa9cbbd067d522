import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRegistry, Principal } from '@ledger/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './roles';
import type { Role } from '@ledger/core';

export const API_KEY_REGISTRY = Symbol('API_KEY_REGISTRY');

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const principal = await this.registry.authenticate(presented);
    if (!principal) {
      http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="assurance-ledger"');
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
