import { randomUUID } from 'node:crypto';

import type { Metadata } from '@grpc/grpc-js';
import type { DynamicModule, LoggerService, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Store } from 'nestjs-pino/storage';
import { storage } from 'nestjs-pino/storage';
import type { DestinationStream, Logger as Pino, LoggerOptions } from 'pino';
import { pino, stdTimeFunctions } from 'pino';

import { LOG_LEVELS } from '../config/env';

/** What a request id may look like when a client (or the gateway) hands one in: anything else is replaced. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id a client sent (`X-Request-ID`, or the `x-request-id` gRPC metadata) if it is sane, else a new one. */
export function requestIdOf(given: unknown): string {
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** The caller's request id in a gRPC call's `x-request-id` metadata, if there is a sane one. */
export function metadataRequestId(metadata: Pick<Metadata, 'get'> | undefined): string | undefined {
  const given = metadata?.get('x-request-id')[0];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : undefined;
}

/** Probes and scrapes are not worth a log line each. */
const QUIET_PATHS = /^\/(metrics|health)(\/|\?|$)/;

const LEVELS = new Set<string>(LOG_LEVELS);

/**
 * The URL of a request as its log line names it: the route template (`/api/notes/:id`), so that
 * neither ids nor the query string (search terms, filters) reach the logs; without a matching
 * route, the path as asked without its query string.
 */
export function loggedUrl(request: Pick<FastifyRequest, 'url' | 'routeOptions'>): string {
  const template = request.routeOptions?.url;
  if (template) return template;
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

/** pino's settings for process `app`, at LOG_LEVEL (an unknown level reads as info here; env validation then rejects it). */
export function pinoOptions(app: string, level: string | undefined = process.env['LOG_LEVEL']): LoggerOptions {
  return {
    level: level && LEVELS.has(level) ? level : 'info',
    base: { app, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    messageKey: 'msg',
    // With tracing on, each line names its trace: from a log line to the whole request in Jaeger.
    mixin: () => {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { traceId: span.traceId, spanId: span.spanId } : {};
    },
  };
}

const roots = new Map<string, Pino>();
const LOG_APP = Symbol('LOG_APP');
let current: Pino | undefined;

/**
 * The one pino logger of process `app` (made on first use, writing to stdout or, in tests, to
 * `destination`); without `app`, the one made last (undefined before any), for code that only
 * adds context to it.
 */
export function rootLogger(app?: string, destination?: DestinationStream): Pino | undefined {
  if (app === undefined) return current;
  let root = roots.get(app);
  if (!root) {
    root = destination ? pino(pinoOptions(app), destination) : pino(pinoOptions(app));
    roots.set(app, root);
  }
  current = root;
  return root;
}

/** The Nest logger of process `app`, for NestFactory.create: JSON lines from the very first one (start-up included). */
export function createAppLogger(app: string): LoggerService {
  return new Logger(new PinoLogger({ pinoHttp: { logger: rootLogger(app) } }), {});
}

/**
 * A log context for nestjs-pino's PinoLogger (and so Nest's `Logger`): lines logged inside it carry
 * `fields`. The child logger is made on the first line only: most requests log nothing.
 */
export function logContext(root: Pino, fields: Record<string, unknown>): Store {
  let logger: Pino | undefined;
  return {
    get logger() {
      return (logger ??= root.child(fields));
    },
    set logger(value: Pino) {
      logger = value;
    },
  };
}

/**
 * The HTTP side, as Fastify hooks (no Nest middleware, so no middie in front of every request):
 * the route handler (guards, interceptors, controller) runs in a log context with the request id
 * as `reqId`; each request is logged once when it is answered, `request completed` with
 * `req {method, url}` (`url` is the route template, see loggedUrl), `res {statusCode}` and
 * `responseTime` (ms), at `error` for 5xx.
 */
@Injectable()
class HttpRequestLogging implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOG_APP) private readonly app: string,
  ) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    const root = rootLogger(this.app);
    if (!fastify?.addHook || !root) return;
    // The context starts right before the handler: what runs there (guards, interceptors, the
    // controller) logs with the request id; Fastify's own hooks before it log nothing per request.
    fastify.addHook('preHandler', (request, _reply, done) => {
      storage.run(logContext(root, { reqId: request.id }), done);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const level = reply.statusCode >= 500 ? 'error' : 'info';
      if (root.isLevelEnabled(level) && !QUIET_PATHS.test(request.url)) {
        root[level](
          {
            reqId: request.id,
            req: { method: request.method, url: loggedUrl(request) },
            res: { statusCode: reply.statusCode },
            responseTime: Math.round(reply.elapsedTime),
          },
          'request completed',
        );
      }
      done();
    });
  }
}

/**
 * Structured JSON logs (pino, with nestjs-pino's Nest logger) for every process: one line per
 * event with `level`, `time`, `app`, `pid`, `context` and `msg`; inside a request also `reqId`:
 * the gateway's request id (`X-Request-ID` when the client sent a sane one), which the gateway
 * sends on as `x-request-id` gRPC metadata and every service puts on the log lines of that call
 * (GrpcCallInterceptor). Each HTTP request is logged once when it completes (5xx as `error`);
 * `/metrics` and `/health*` are not. With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), lines also
 * carry `traceId`/`spanId`. Headers, bodies, query strings and ids in paths are never logged
 * (tokens, passwords, search terms: the URL is the route template). Level: LOG_LEVEL.
 */
@Module({})
export class LoggingModule {
  static forRoot(app: string): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: LOG_APP, useValue: app }, HttpRequestLogging] };
  }
}
