import { Module } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsoleController } from './console.controller';
import { findConsoleDirectory } from './console-assets';

@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}

/** Gives replies `sendFile`; the controller decides what is served, so the plugin serves nothing itself. */
export async function registerConsoleFiles(app: NestFastifyApplication): Promise<void> {
  const root = findConsoleDirectory();
  if (root) await app.register(fastifyStatic, { root, serve: false });
}
