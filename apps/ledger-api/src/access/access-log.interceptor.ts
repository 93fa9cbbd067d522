import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { AuthenticatedRequest } from './access.guard';
import { Role } from '@ledger/core';

/** Reads by these roles are about people; who looked at whom is itself worth a record. */
const LOGGED_READERS: Role[] = ['helpdesk', 'auditor'];

export interface AccessLogLine {
  type: 'access';
  key: string;
  roles: Role[];
  method: string;
  route: string;
  subject?: string;
  outcome: 'ok' | 'error';
}

/**
 * Writes one structured line per read by the help desk or an auditor: key
 * name, route template and subject. Never the key, never the query string
 * (it may carry search prefixes of other subjects). These are log lines, not
 * events: reading does not change the ledger.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Access');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { routeOptions?: { url?: string } }>();
    const principal = request.principal;
    if (request.method !== 'GET' || !principal || !principal.roles.some((role) => LOGGED_READERS.includes(role))) return next.handle();
    const params = (request.params ?? {}) as Record<string, string>;
    const line = (outcome: AccessLogLine['outcome']): AccessLogLine => ({
      type: 'access',
      key: principal.keyName,
      roles: principal.roles,
      method: request.method,
      route: request.routeOptions?.url ?? 'unknown',
      ...(params.subjectId !== undefined && { subject: params.subjectId }),
      outcome,
    });
    return next.handle().pipe(
      tap({
        // An object, so that the JSON log carries its members as fields next to the request and correlation ids.
        next: () => this.logger.log(line('ok')),
        error: () => this.logger.log(line('error')),
      }),
    );
  }
}
