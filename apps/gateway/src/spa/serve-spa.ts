import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the SPA. */
const SERVER_PATHS = /^\/(api|socket\.io|health|metrics)(\/|$|\?)/;

/**
 * Serves the built SPA (dist/apps/web, or WEB_ROOT) at `/`: its files as they are (hashed assets
 * cached for a year, index.html never), and index.html for any other GET that asks for a page,
 * so client-side routes survive a reload. Skipped when there is no build (e.g. `nx serve gateway`
 * with the SPA on the Vite dev server).
 */
export async function serveSpa(app: NestFastifyApplication, root = join(__dirname, '..', 'web')): Promise<boolean> {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('SPA').log(`no web build at ${root}: not serving the SPA`);
    return false;
  }
  const indexHtml = readFileSync(indexFile);
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    if (SERVER_PATHS.test(request.url) || !String(request.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  };
  fastify.get('/', sendIndex);
  fastify.get('/*', sendIndex);
  return true;
}
