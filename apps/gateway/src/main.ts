import { randomUUID } from 'node:crypto';

import { createHttpApp } from '@micronote/server-core';
import { Logger, RequestMethod, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { AppModule } from './app.module';
import { sendError } from './common/filters/api-exception.filter';
import type { Env } from './config/env.validation';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The X-Forwarded-For policy: believed only from the proxy named by TRUST_PROXY. */
function trustProxy(value: string | undefined): boolean | string | string[] {
  if (!value) return false;
  if (value === 'true') return true;
  return value.split(',').map((v) => v.trim());
}

async function bootstrap(): Promise<void> {
  const app = await createHttpApp(AppModule, {
    trustProxy: trustProxy(process.env['TRUST_PROXY']),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const config = app.get(ConfigService<Env, true>);
  const fastify = app.getHttpAdapter().getInstance();

  // JSON only: without a text/plain parser, any other body type is 415.
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', async (request: FastifyRequest, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Errors raised before Nest sees the request (bad JSON, body over 1 MiB, wrong media type).
  fastify.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins) app.enableCors({ origin: origins.split(',').map((o) => o.trim()), credentials: false });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MicroNote API')
      .setDescription('Notes and todos. Errors: {statusCode, error, message, code, requestId}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });

  await app.listen({ port: config.get('HTTP_PORT', { infer: true }), host: config.get('HOST', { infer: true }) });
  new Logger('gateway').log(`REST on ${await app.getUrl()}/api, docs at /api/docs`);
}

bootstrap().catch((error: Error) => {
  new Logger('gateway').error(error.message);
  process.exit(1);
});
