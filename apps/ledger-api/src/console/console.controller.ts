import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/roles';
import { CONSOLE_CONTENT_SECURITY_POLICY, findConsoleDirectory } from './console-assets';

/** Built file names: hashed by the bundler, so nothing that could climb out of the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Serves the help-desk console. The pages hold no data, so they need no key;
 * every call the console makes to `/v1` carries the key the user signed in with.
 */
@Public()
@Controller('console')
export class ConsoleController {
  private readonly directory = findConsoleDirectory();

  @Get()
  page(@Res() reply: FastifyReply) {
    return this.send(reply, 'index.html', { cacheControl: 'no-cache' });
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    if (!ASSET_NAME.test(file)) throw new NotFoundException({ statusCode: 404, error: 'not-found', message: 'no such console file' });
    return this.send(reply, `assets/${file}`, { cacheControl: 'public, max-age=31536000, immutable' });
  }

  private send(reply: FastifyReply, file: string, { cacheControl }: { cacheControl: string }) {
    if (!this.directory) {
      throw new NotFoundException({ statusCode: 404, error: 'not-found', message: 'the console is not built: run npm run build' });
    }
    reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    reply.header('cache-control', cacheControl);
    return reply.sendFile(file, this.directory, { cacheControl: false });
  }
}
