import type { ServiceName, UnaryMethod } from '@micronote/server-core';
import { callUnary, grpcClientMetrics, metric, ServiceIdentity, streamServer } from '@micronote/server-core';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter } from 'prom-client';

import type { Env } from '../../config/env.validation';
import type { RequestContext } from '../decorators/request-context.decorator';
import { BULK_METHODS, isRetryable, retryDelayMs } from './call-policy';
import { CircuitBreakers } from './circuit-breakers';
import { GRPC_DEPENDENCIES } from './grpc-dependencies';

const retriesTotal = () =>
  metric(
    'micronote_grpc_client_retries_total',
    () =>
      new Counter({
        name: 'micronote_grpc_client_retries_total',
        help: 'Reads sent again after their downstream answered UNAVAILABLE',
        labelNames: ['grpc_service', 'grpc_method'],
      }),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every gRPC call of the gateway: a deadline (GRPC_DEADLINE_MS), the request id on every hop, the
 * gateway's service identity acting for the signed-in user (`ctx.userId`, from the verified access
 * token; as itself for sign-up, sign-in and refresh),
 * through the circuit breaker of its downstream, and — for the reads of RETRYABLE_READS only — up
 * to GRPC_RETRIES more attempts after UNAVAILABLE, with a short jittered backoff, never past the
 * first attempt's deadline. Whole-account calls (BULK_METHODS: import, export) get
 * GRPC_BULK_DEADLINE_MS and stay out of the breaker's count (one user's big import that runs out
 * of time must not open the breaker for everyone).
 */
@Injectable()
export class GrpcCaller {
  private readonly logger = new Logger(GrpcCaller.name);
  private readonly deadlineMs: number;
  private readonly bulkDeadlineMs: number;
  private readonly retries: number;
  private readonly targets = new WeakMap<object, string>();

  constructor(
    config: ConfigService<Env, true>,
    private readonly breakers: CircuitBreakers,
    private readonly identity: ServiceIdentity,
  ) {
    this.deadlineMs = config.get('GRPC_DEADLINE_MS', { infer: true });
    this.bulkDeadlineMs = config.get('GRPC_BULK_DEADLINE_MS', { infer: true });
    this.retries = config.get('GRPC_RETRIES', { infer: true });
    grpcClientMetrics();
    retriesTotal();
  }

  /**
   * A server stream (exports) read message by message with backpressure, from the raw grpc-js
   * client of the service (`ClientGrpc.getClientByServiceName`); typed by the generated client `S`.
   * Refused at once while the downstream's breaker is open; a whole-account call, so it gets
   * GRPC_BULK_DEADLINE_MS and does not count toward the breaker. Never retried (it may have sent data).
   */
  async stream<S extends object, K extends UnaryMethod<S>>(
    rawClient: object,
    method: K,
    request: Parameters<typeof streamServer<S, K>>[2],
    context: Pick<RequestContext, 'requestId' | 'userId'>,
  ) {
    const target = this.target(rawClient);
    return this.breakers.runUncounted(target, async () =>
      streamServer<S, K>(rawClient, method, request, {
        requestId: context.requestId,
        deadlineMs: this.deadlineOf(method),
        target,
        identity: this.mint(target, context),
      }),
    );
  }

  call<S extends object, K extends UnaryMethod<S>>(
    service: S,
    method: K,
    request: Parameters<typeof callUnary<S, K>>[2],
    context: Pick<RequestContext, 'requestId' | 'userId'>,
  ) {
    return this.attempt(service, method, this.deadlineOf(method), (target, deadlineMs) =>
      callUnary(service, method, request, { requestId: context.requestId, deadlineMs, target, identity: this.mint(target, context) }),
    );
  }

  private mint(target: string, context: Pick<RequestContext, 'userId'>): string {
    return this.identity.mint(target as ServiceName, context.userId);
  }

  private async attempt<T>(
    service: object,
    method: string,
    deadlineMs: number,
    send: (target: string, deadlineMs: number) => Promise<T>,
  ): Promise<T> {
    const target = this.target(service);
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const call = () => send(target, Math.max(1, deadline - Date.now()));
        return await (BULK_METHODS.has(method) ? this.breakers.runUncounted(target, call) : this.breakers.run(target, call));
      } catch (error) {
        const delay = retryDelayMs(attempt + 1);
        if (attempt >= this.retries || !isRetryable(method, error) || Date.now() + delay >= deadline) throw error;
        retriesTotal().inc({ grpc_service: target, grpc_method: method });
        this.logger.debug(`${target}.${method} UNAVAILABLE, retry ${attempt + 1} in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  private deadlineOf(method: string): number {
    return BULK_METHODS.has(method) ? this.bulkDeadlineMs : this.deadlineMs;
  }

  /** Which downstream a client object talks to (each dependency has a method only it offers). */
  private target(service: object): string {
    let target = this.targets.get(service);
    if (!target) {
      target = GRPC_DEPENDENCIES.find((dependency) => dependency.marker in service)?.key ?? 'unknown';
      this.targets.set(service, target);
    }
    return target;
  }
}
