import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The HTTP ceiling's server: the ledger's framework (NestJS on Fastify) with a
 * route that parses a JSON body and does nothing else, so the ratio to it is
 * what the ledger's own work costs.
 */
@Controller()
class NoopController {
  @Post('noop')
  @HttpCode(201)
  accept(@Body() body: unknown): { received: boolean } {
    return { received: typeof body === 'object' && body !== null };
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [NoopController] })
class NoopModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(NoopModule, new FastifyAdapter(), { logger: ['error'] });
  await app.listen(Number(process.env.PORT), process.env.LEDGER_HOST ?? '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
