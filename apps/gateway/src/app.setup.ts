import { randomUUID } from 'node:crypto';

import { RequestMethod, ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

import { registerSecurityHeaders } from './common/security/security-headers';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The X-Forwarded-For policy: believed only from the proxy named by TRUST_PROXY. */
function trustProxy(value: string | undefined): boolean | string[] {
  if (!value) return false;
  if (value === 'true') return true;
  return value.split(',').map((v) => v.trim());
}

/** Fastify options of the gateway: request ids (a sane X-Request-ID is kept), proxy trust. */
export function gatewayFastifyOptions(env: { TRUST_PROXY?: string } = process.env): FastifyServerOptions {
  return {
    trustProxy: trustProxy(env.TRUST_PROXY),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

/** Everything between the Nest app and the first request: JSON only, errors, prefix, validation, docs. */
export function configureGateway(app: NestFastifyApplication, options: { corsOrigins?: string; docs?: boolean } = {}): void {
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: without a text/plain parser, any other body type is 415.
  fastify.removeContentTypeParser('text/plain');
  registerSecurityHeaders(fastify);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply) => {
    void reply.header('x-request-id', request.id);
  });

  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  if (options.corsOrigins) app.enableCors({ origin: options.corsOrigins.split(',').map((o) => o.trim()), credentials: false });

  if (options.docs !== false) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('MicroNote API')
        .setDescription('Notes and todos. Every error is {statusCode, error, message, code, requestId}.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
}
