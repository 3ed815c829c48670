import { randomUUID } from 'node:crypto';

import type { Metadata } from '@grpc/grpc-js';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { applyDecorators, Injectable, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { storage } from 'nestjs-pino/storage';
import { Observable } from 'rxjs';

import { GrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { ServiceIdentityGuard } from '../identity/service-identity.module';
import { logContext, metadataRequestId, rootLogger } from '../logging/logging.module';
import { grpcPatternOf, grpcServerMetrics, onOutcome } from '../metrics/request-metrics';

/** Status codes of a gRPC call that mean the service failed (the others are the caller's doing). */
const SERVER_FAULTS = new Set(['UNKNOWN', 'INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'DATA_LOSS', 'UNIMPLEMENTED']);

/** `{ service, method }` of each handler, read from its metadata once. */
const patterns = new WeakMap<object, { service: string; method: string }>();

function patternOf(context: ExecutionContext): { service: string; method: string } {
  const handler = context.getHandler();
  let pattern = patterns.get(handler);
  if (!pattern) {
    pattern = grpcPatternOf(context);
    patterns.set(handler, pattern);
  }
  return pattern;
}

/**
 * What happens around every gRPC call a service handles, in one interceptor (each Nest interceptor
 * costs an async resource and an rxjs stage per call, so there is one):
 * - its log context: the handler runs with a child logger carrying the caller's request id
 *   (`x-request-id` metadata) as `reqId` and the method as `rpc`, so its log lines (Nest `Logger`
 *   included) carry them; the call is logged once when it ends (`rpc completed`, with `code` and
 *   `responseTime` in ms; `error` level for server faults), as HTTP requests are;
 * - its metrics: duration and status code (`micronote_grpc_server_*`), unary calls and streams.
 */
@Injectable()
export class GrpcCallInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const { service, method } = patternOf(context);
    const started = performance.now();
    const root = rootLogger();
    const store =
      root &&
      logContext(root, {
        reqId: metadataRequestId(context.switchToRpc().getContext<Metadata | undefined>()) ?? randomUUID(),
        rpc: `${service}/${method}`,
      });
    const stream = onOutcome(next.handle(), (code) => {
      const elapsedMs = performance.now() - started;
      const labels = { grpc_service: service, grpc_method: method, grpc_code: code };
      const { seconds, handled } = grpcServerMetrics();
      seconds.observe(labels, elapsedMs / 1000);
      handled.inc(labels);
      const level = SERVER_FAULTS.has(code) ? 'error' : 'info';
      if (store && root.isLevelEnabled(level)) store.logger[level]({ code, responseTime: Math.round(elapsedMs) }, 'rpc completed');
    });
    if (!store) return stream;
    // The handler runs when the stream is subscribed: subscribe inside the context.
    return new Observable((subscriber) => storage.run(store, () => stream.subscribe(subscriber)));
  }
}

/**
 * What every gRPC controller of a service gets, in one decorator: each call must carry a service
 * identity its handler accepts (ServiceIdentityGuard; handlers declare callers with
 * @AcceptCallers), runs in a log context with the caller's request id, is measured (duration and
 * status code), and its errors become gRPC statuses through the one error mapper. On the
 * controller class, so HTTP routes (health, metrics) do not pay for them.
 */
export const GrpcEndpoint = (): ClassDecorator =>
  applyDecorators(UseFilters(GrpcExceptionFilter), UseGuards(ServiceIdentityGuard), UseInterceptors(GrpcCallInterceptor));
