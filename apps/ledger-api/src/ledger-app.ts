import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import helmet from 'helmet';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as StructuredLogger, LoggerModule } from 'nestjs-pino';
import { LedgerConfig } from '@ledger/core';
import { LedgerApiModule } from './ledger-api.module';
import { LedgerMetrics } from './metrics/ledger-metrics';
import { serveOpenApi } from './openapi/openapi-document';
import { correlationIdOf, CORRELATION_ID_HEADER, REQUEST_ID_HEADER, requestIdOf } from './shared/request-ids';
import { structuredLogging } from './shared/structured-logging';
import { BATCH_MEDIA_TYPE } from './ingestion/record-events/record-events.controller';
import { LedgerExceptionFilter } from './shared/ledger-exception.filter';
import { fieldIssuesOf, InvalidRequestError } from './shared/invalid-request';
import { checkJsonBounds, JsonBounds } from './shared/json-bounds';
import { answerFrameworkError, answerClientError } from './shared/framework-errors';

/** The ledger and the process-wide concerns around it: structured logs. */
@Module({})
class LedgerProcessModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerProcessModule,
      imports: [LoggerModule.forRoot(structuredLogging(config.logLevel)), LedgerApiModule.forConfig(config)],
    };
  }
}

/** Builds the HTTP application; `main.ts` and the end-to-end tests share it. */
/** The headers a connect-style middleware sets, captured once; it must set the same ones for every request. */
function headersSetBy(middleware: (request: never, response: never, next: (error?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  middleware({} as never, response as never, (error) => (failure = error));
  if (failure) throw failure;
  return headers;
}

/**
 * The longest path parameter the router takes. A subject id is at most 200 characters, and a
 * client may percent-encode each one (3 bytes); longer ones are then refused by validation with a
 * problem naming the field, rather than by the router.
 */
const MAX_PARAM_LENGTH = 1024;

export async function createLedgerApp(config: LedgerConfig): Promise<NestFastifyApplication> {
  // The console (served by this app) sets its own stricter policy on its pages; the API answers JSON only.
  // Computed once: every header helmet sets is the same on every answer, and the plugin rebuilt
  // helmet's middleware (parsing the CSP again) on every request. A route may still replace one.
  const securityHeaders = headersSetBy(
    helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } } }),
  );
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdOf,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's own refusals (a path parameter too long, a URL that does not decode) and
    // malformed HTTP answer as problem details with the security headers, like every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      answerFrameworkError(error, request, reply, securityHeaders),
    clientErrorHandler: (error, socket) => answerClientError(error, socket, securityHeaders),
  });
  const fastify = adapter.getInstance();
  // CloudEvents media types are JSON underneath. Decode strictly: a body that
  // is not valid UTF-8 is refused rather than stored with replacement characters,
  // and __proto__ / constructor keys are refused by Fastify's JSON parser. Before
  // parsing, the shape of the text is bounded (depth, width, string length, values,
  // repeated keys, lone surrogates), so that no body can make parsing or validation expensive.
  const bounds: JsonBounds = {
    maxDepth: config.jsonMaxDepth,
    maxObjectKeys: config.jsonMaxObjectKeys,
    maxValues: config.jsonMaxValues,
    maxStringLength: config.jsonMaxStringLength,
  };
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    ['application/json', 'application/cloudevents+json', BATCH_MEDIA_TYPE],
    { parseAs: 'buffer' },
    (request, body, done) => {
      let text: string;
      try {
        text = strictUtf8.decode(body as Buffer);
      } catch {
        return done(Object.assign(new Error('the request body is not valid UTF-8'), { statusCode: 400 }), undefined);
      }
      try {
        checkJsonBounds(text, bounds);
      } catch (error) {
        return done(error as Error, undefined);
      }
      parseJson(request, text, done);
    },
  );
  const app = await NestFactory.create<NestFastifyApplication>(LedgerProcessModule.forConfig(config), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(StructuredLogger));
  // Callers get both ids back, to quote when they report a problem.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id).header(CORRELATION_ID_HEADER, correlationIdOf(request.raw));
    done();
  });
  app.get(LedgerMetrics).observeHttp(fastify);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  app.useGlobalFilters(new LedgerExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new InvalidRequestError('invalid-request', 'invalid request parameters', fieldIssuesOf(errors)),
    }),
  );
  if (config.role !== 'projector') serveOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
