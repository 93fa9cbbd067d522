import { ValidationPipe } from '@nestjs/common';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { enabledLogLevels, LedgerConfig } from './config/ledger-config';
import { LedgerApiModule } from './ledger-api.module';
import { BATCH_MEDIA_TYPE } from './ingestion/record-events/record-events.controller';
import { LedgerExceptionFilter } from './shared/ledger-exception.filter';
import { fieldIssuesOf, InvalidRequestError } from './shared/invalid-request';

/** Builds the HTTP application; `main.ts` and the end-to-end tests share it. */
export async function createLedgerApp(config: LedgerConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const fastify = adapter.getInstance();
  // CloudEvents media types are JSON underneath. Decode strictly: a body that
  // is not valid UTF-8 is refused rather than stored with replacement characters,
  // and __proto__ / constructor keys are refused by Fastify's JSON parser.
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
      parseJson(request, text, done);
    },
  );
  const app = await NestFactory.create<NestFastifyApplication>(LedgerApiModule.forConfig(config), adapter, {
    bodyParser: false,
    logger: enabledLogLevels(config.logLevel),
  });
  // The console (served by this app) sets its own stricter policy on its pages; the API answers JSON only.
  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } } });
  app.useGlobalFilters(new LedgerExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new InvalidRequestError('invalid-request', 'invalid request parameters', fieldIssuesOf(errors)),
    }),
  );
  app.enableShutdownHooks();
  return app;
}
