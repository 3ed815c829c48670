import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

import fastifyCookie from '@fastify/cookie';
import * as proxyAddr from '@fastify/proxy-addr';
import { requestIdOf } from '@micronote/server-core';
import { RequestMethod, ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

import { REFRESH_COOKIE } from './auth/refresh-cookie';
import { parseOrigins } from './common/guards/same-origin.guard';
import { registerSecurityHeaders } from './common/security/security-headers';
import { registerImportBodyParser } from './users/imports/import-body';

/** Deepest JSON nesting a request body may have; no document of the API needs more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value, without recursion (a hostile body must not blow the stack). */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Fastify's own JSON parser (proto-poisoning checks included), plus the depth limit → 400. */
function limitJsonDepth(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }), undefined);
      }
      return done(null, value);
    });
  });
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers or URL too large, broken
 * request line) still get the API's error shape.
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const statusCode = tooLarge ? 431 : 400;
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  const body = JSON.stringify({
    statusCode,
    error: reason,
    message: tooLarge ? 'The URL or the headers are too large' : 'Malformed HTTP request',
    code: tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST',
    requestId: randomUUID(),
  });
  socket.end(
    `HTTP/1.1 ${statusCode} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The X-Forwarded-For policy: believed only from the proxy named by TRUST_PROXY. */
function trustProxy(value: string | undefined): boolean | string[] {
  if (!value) return false;
  if (value === 'true') return true;
  return value.split(',').map((v) => v.trim());
}

/**
 * The client address of a raw HTTP request (the socket.io handshake, which Fastify never sees),
 * by the same TRUST_PROXY rule as Fastify's `request.ip`: X-Forwarded-For only from that proxy.
 */
export function clientIpOf(request: IncomingMessage, trustProxyValue: string | undefined): string {
  const remote = request.socket?.remoteAddress ?? '';
  const trust = trustProxy(trustProxyValue);
  if (trust === false) return remote;
  const addresses = proxyAddr.all(request, trust === true ? () => true : proxyAddr.compile(trust));
  return addresses[addresses.length - 1] ?? remote;
}

/** Fastify options of the gateway: request ids (a sane X-Request-ID is kept), proxy trust (from the validated env). */
export function gatewayFastifyOptions(env: { TRUST_PROXY?: string }): FastifyServerOptions {
  return {
    trustProxy: trustProxy(env.TRUST_PROXY),
    requestIdHeader: false,
    clientErrorHandler,
    genReqId: (req) => {
      return requestIdOf(req.headers['x-request-id']);
    },
  };
}

/** Everything between the Nest app and the first request: JSON only, errors, prefix, validation, docs. */
export function configureGateway(app: NestFastifyApplication, options: { corsOrigins?: string; docs?: boolean } = {}): void {
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: without a text/plain parser, any other body type is 415; the one exception is the
  // file of `POST /api/users/me/import?from=` (zip or XML, up to 50 MiB, on that route only).
  fastify.removeContentTypeParser('text/plain');
  limitJsonDepth(fastify);
  registerImportBodyParser(fastify);
  registerSecurityHeaders(fastify);
  // Cookies are parsed for the refresh cookie only (request.cookies, reply.setCookie); none is signed.
  void fastify.register(fastifyCookie);
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
  // Credentials for the allowed origins only: an SPA served from one of them sends the refresh cookie.
  const corsOrigins = parseOrigins(options.corsOrigins);
  if (corsOrigins.length > 0) app.enableCors({ origin: corsOrigins, credentials: true });

  if (options.docs !== false) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('MicroNote API')
        .setDescription('Notes and todos. Every error is {statusCode, error, message, code, requestId}.')
        .setVersion('1')
        .addBearerAuth()
        .addCookieAuth(REFRESH_COOKIE, { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE }, 'refresh-cookie')
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
}
