import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ExecutionContext, OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, register } from 'prom-client';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';

import { toGrpcError } from '../errors/grpc-exception.filter';

/** Buckets for request latencies of a notes app: 0.5 ms … 5 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

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

export const grpcClientMetrics = () => ({
  seconds: metric(
    'micronote_grpc_client_handling_seconds',
    () =>
      new Histogram({
        name: 'micronote_grpc_client_handling_seconds',
        help: 'Time from sending a gRPC call to its answer, by downstream service, method and status code',
        labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
        buckets: LATENCY_BUCKETS,
      }),
  ),
  handled: metric(
    'micronote_grpc_client_handled_total',
    () =>
      new Counter({
        name: 'micronote_grpc_client_handled_total',
        help: 'gRPC calls this process made, by downstream service, method and status code',
        labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
      }),
  ),
});

/** Records one finished client call; `error` is what the call failed with (a grpc-js ServiceError has a numeric `code`). */
export function observeGrpcClientCall(service: string, method: string, startedMs: number, error?: unknown): void {
  const numeric = (error as { code?: unknown } | undefined)?.code;
  const code = error === undefined ? 'OK' : typeof numeric === 'number' ? (GrpcStatus[numeric] ?? 'UNKNOWN') : 'UNKNOWN';
  const { seconds, handled } = grpcClientMetrics();
  const labels = { grpc_service: service, grpc_method: method, grpc_code: code };
  seconds.observe(labels, (performance.now() - startedMs) / 1000);
  handled.inc(labels);
}

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

/** The `microservices:pattern` of a gRPC handler: `{ service, rpc }` as declared by @GrpcMethod. */
export function grpcPatternOf(context: ExecutionContext): { service: string; method: string } {
  const pattern = (Reflect.getMetadata(PATTERN_METADATA, context.getHandler()) as { service?: string; rpc?: string }[] | undefined)?.[0];
  return { service: pattern?.service ?? context.getClass().name, method: pattern?.rpc ?? context.getHandler().name };
}

/**
 * Calls `done` once with the gRPC status code name a handler's stream ended with: `OK`, the code
 * its error maps to (the one error mapper), or `CANCELLED` when the caller went away.
 */
export function onOutcome<T>(stream: Observable<T>, done: (code: string) => void): Observable<T> {
  let finished = false;
  const finish = (code: string) => {
    if (!finished) done(code);
    finished = true;
  };
  return stream.pipe(
    tap({
      complete: () => finish('OK'),
      error: (error: unknown) => finish(GrpcStatus[toGrpcError(error, silent).code] ?? 'UNKNOWN'),
      unsubscribe: () => finish('CANCELLED'),
    }),
  );
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
