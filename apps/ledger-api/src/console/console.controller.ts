import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/roles';
import { CONSOLE_CONTENT_SECURITY_POLICY, loadConsoleFiles } from './console-assets';

/**
 * Serves the help-desk console. The pages hold no data, so they need no key;
 * every call the console makes to `/v1` carries the key the user signed in with.
 */
@Public()
@Controller('console')
export class ConsoleController {
  private readonly files = loadConsoleFiles();

  @Get()
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    if (!this.files.has('index.html')) {
      throw new NotFoundException({ statusCode: 404, error: 'not-found', message: 'the console is not built: run npm run build' });
    }
    return this.send(reply, 'index.html', ifNoneMatch, 'no-cache');
  }

  /** File names carry a content hash, so a file never changes under its name. */
  @Get('assets/:file')
  asset(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return this.send(reply, `assets/${file}`, ifNoneMatch, 'public, max-age=31536000, immutable');
  }

  private send(reply: FastifyReply, name: string, ifNoneMatch: string | undefined, cacheControl: string) {
    const file = this.files.get(name);
    if (!file) throw new NotFoundException({ statusCode: 404, error: 'not-found', message: 'no such console file' });
    reply
      .header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY)
      .header('cache-control', cacheControl)
      .header('etag', file.etag);
    if (ifNoneMatch === file.etag) return reply.status(304).send();
    return reply.type(file.contentType).send(file.body);
  }
}
