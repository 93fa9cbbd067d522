import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { enabledLogLevels, LedgerConfig } from './config/ledger-config';
import { LedgerApiModule } from './ledger-api.module';
import { BATCH_MEDIA_TYPE } from './ingestion/record-events/record-events.controller';
import { LedgerExceptionFilter } from './shared/ledger-exception.filter';

/** Builds the HTTP application; `main.ts` and the end-to-end tests share it. */
export async function createLedgerApp(config: LedgerConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const fastify = adapter.getInstance();
  // CloudEvents media types are JSON underneath; parse them with Fastify's own JSON parser.
  fastify.addContentTypeParser(
    ['application/cloudevents+json', BATCH_MEDIA_TYPE],
    { parseAs: 'string' },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  const app = await NestFactory.create<NestFastifyApplication>(LedgerApiModule.forConfig(config), adapter, {
    logger: enabledLogLevels(config.logLevel),
  });
  app.useGlobalFilters(new LedgerExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) =>
        new BadRequestException({
          statusCode: 400,
          error: 'invalid-request',
          message: 'invalid request parameters',
          errors: errors.map((error) => ({
            field: error.property,
            reason: Object.values(error.constraints ?? {}).join('; '),
          })),
        }),
    }),
  );
  app.enableShutdownHooks();
  return app;
}
