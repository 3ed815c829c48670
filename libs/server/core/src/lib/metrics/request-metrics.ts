import { status as GrpcStatus } from '@grpc/grpc-js';
import type { CallHandler, ExecutionContext, NestInterceptor, OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, register } from 'prom-client';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';

import { toGrpcError } from '../errors/grpc-exception.filter';

/** Buckets for request latencies of a notes app: 0.5 ms … 5 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The metric registered under `name` in the default registry, created once (tests build providers many times). */
export function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const grpcServerMetrics = () => ({
  seconds: metric(
    'micronote_grpc_server_handling_seconds',
    () =>
      new Histogram({
        name: 'micronote_grpc_server_handling_seconds',
        help: 'Time to handle a gRPC call, by method and status code',
        labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
        buckets: LATENCY_BUCKETS,
      }),
  ),
  handled: metric(
    'micronote_grpc_server_handled_total',
    () =>
      new Counter({
        name: 'micronote_grpc_server_handled_total',
        help: 'gRPC calls handled, by method and status code',
        labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
      }),
  ),
});

export const httpMetrics = () =>
  metric(
    'micronote_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'micronote_http_request_duration_seconds',
        help: 'HTTP request duration by method, route template and status code',
        labelNames: ['method', 'route', 'status_code'],
        buckets: LATENCY_BUCKETS,
      }),
  );

const PATTERN_METADATA = 'microservices:pattern';
const silent = new Logger('GrpcMetrics');
silent.warn = () => undefined;
silent.error = () => undefined;

/** Duration and status code of every gRPC call a service handles (unary and streams). */
@Injectable()
export class GrpcServerMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const pattern = (Reflect.getMetadata(PATTERN_METADATA, context.getHandler()) as { service?: string; rpc?: string }[] | undefined)?.[0];
    const labels = { grpc_service: pattern?.service ?? context.getClass().name, grpc_method: pattern?.rpc ?? context.getHandler().name };
    const started = performance.now();
    const done = (code: string) => {
      const { seconds, handled } = grpcServerMetrics();
      seconds.observe({ ...labels, grpc_code: code }, (performance.now() - started) / 1000);
      handled.inc({ ...labels, grpc_code: code });
    };
    let finished = false;
    return next.handle().pipe(
      tap({
        complete: () => {
          if (!finished) done('OK');
          finished = true;
        },
        error: (error: unknown) => {
          if (!finished) done(GrpcStatus[toGrpcError(error, silent).code] ?? 'UNKNOWN');
          finished = true;
        },
        unsubscribe: () => {
          if (!finished) done('CANCELLED');
          finished = true;
        },
      }),
    );
  }
}

/** HTTP request durations by route template (never the raw URL: ids would explode the series). */
@Injectable()
export class HttpMetricsHook implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    const histogram = httpMetrics();
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions?.url ?? 'unmatched';
      if (route === '/metrics') return;
      histogram.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }
}
