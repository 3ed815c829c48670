import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Metadata } from '@grpc/grpc-js';
import type { CallHandler, DynamicModule, ExecutionContext, LoggerService, NestInterceptor } from '@nestjs/common';
import { Injectable, Module, RequestMethod } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { Params } from 'nestjs-pino';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { stdTimeFunctions } from 'pino';
import { Observable } from 'rxjs';

import { LOG_LEVELS } from '../config/env';
import { grpcPatternOf, onOutcome } from '../metrics/request-metrics';

/** Status codes of a gRPC call that mean the service failed (the others are the caller's doing). */
const SERVER_FAULTS = new Set(['UNKNOWN', 'INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'DATA_LOSS', 'UNIMPLEMENTED']);

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

/** nestjs-pino's settings for `app`, at LOG_LEVEL (an unknown level reads as info here; env validation then rejects it). */
export function loggerParams(app: string, level: string | undefined = process.env['LOG_LEVEL']): Params {
  return {
    // Every route (Nest 11's path syntax; the default `*` draws a deprecation warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
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
      // Fastify's request id (middie copies it onto the raw request) is the one id of the request.
      genReqId: (req: IncomingMessage) => requestIdOf((req as IncomingMessage & { id?: unknown }).id ?? req.headers['x-request-id']),
      quietReqLogger: true,
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      // Nest's Fastify middleware sees the URL relative to its mount point: the full one is originalUrl.
      autoLogging: { ignore: (req: IncomingMessage & { originalUrl?: string }) => QUIET_PATHS.test(req.originalUrl ?? req.url ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    },
  };
}

/** The Nest logger of process `app`, for NestFactory.create: JSON lines from the very first one (start-up included). */
export function createAppLogger(app: string): LoggerService {
  const params = loggerParams(app);
  return new Logger(new PinoLogger(params), params);
}

/**
 * Structured JSON logs (pino, through nestjs-pino) for every process: one line per event with
 * `level`, `time`, `app`, `context` and `msg`; inside a request also `reqId`: the gateway's request
 * id (`X-Request-ID` when the client sent a sane one), which the gateway sends on as `x-request-id`
 * gRPC metadata and every service puts on the log lines of that call. Each HTTP request is logged
 * once when it completes (5xx as `error`); `/metrics` and `/health*` are not. With tracing on
 * (OTEL_EXPORTER_OTLP_ENDPOINT), lines also carry `traceId`/`spanId`. Headers and bodies are never
 * logged (tokens, passwords). Level: LOG_LEVEL.
 */
@Module({})
export class LoggingModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot(loggerParams(app))],
    };
  }
}

/**
 * Runs every gRPC handler in a log context of its own (on every gRPC controller through
 * @GrpcEndpoint()), so its log lines (Nest `Logger` included) carry the caller's request id
 * (`x-request-id` metadata) as `reqId` and the method as `rpc`, and logs the call once when it
 * ends (`rpc completed`, with `code` and `responseTime` in ms; `error` level for server faults),
 * as pino-http does for HTTP requests.
 */
@Injectable()
export class GrpcLogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const root = PinoLogger.root as PinoLogger['logger'] | undefined;
    if (context.getType() !== 'rpc' || !root) return next.handle();
    const metadata = context.switchToRpc().getContext<Metadata | undefined>();
    const reqId = metadataRequestId(metadata) ?? randomUUID();
    const { service, method } = grpcPatternOf(context);
    const logger = root.child({ reqId, rpc: `${service}/${method}` });
    const started = performance.now();
    const stream = onOutcome(next.handle(), (code) => {
      const fields = { code, responseTime: Math.round(performance.now() - started) };
      if (SERVER_FAULTS.has(code)) logger.error(fields, 'rpc completed');
      else logger.info(fields, 'rpc completed');
    });
    // The handler runs when the stream is subscribed: subscribe inside the context.
    return new Observable((subscriber) => storage.run(new Store(logger), () => stream.subscribe(subscriber)));
  }
}
