import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Params } from 'nestjs-pino';
import type { LogLevel } from '@ledger/core';
import { correlationIdOf, requestIdOf } from './request-ids';

const PINO_LEVEL: Record<LogLevel, pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Credentials never reach a log line, even if a serializer below starts logging headers. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/**
 * One JSON object per line on standard output, with the request id and the
 * correlation id on every line a request causes (the access log included).
 * The query string stays out: it can name other subjects (search prefixes).
 */
export function structuredLogging(level: LogLevel): Params {
  return {
    pinoHttp: {
      level: PINO_LEVEL[level],
      // Synchronous: a process stopped by SIGTERM must not lose its last lines.
      stream: pino.destination({ dest: 1, sync: true }),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (request: IncomingMessage) => requestIdOf(request),
      customProps: (request: IncomingMessage) => ({ correlationId: correlationIdOf(request) }),
      // A 503 is the ledger saying "later" (store away, read models behind) as designed: a warning, not an error.
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        response.statusCode === 503 ? 'warn' : error || response.statusCode >= 500 ? 'error' : 'info',
      serializers: {
        req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: request.id,
          method: request.method,
          path: request.url.split('?')[0],
          remoteAddress: request.remoteAddress,
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
