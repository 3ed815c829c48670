import type { ServiceName, UnaryMethod } from '@micronote/server-core';
import { callUnary, grpcClientMetrics, ServiceIdentity, streamServer } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { Env } from '../../config/env.validation';
import type { RequestContext } from '../decorators/request-context.decorator';
import { BULK_METHODS } from './call-policy';
import { CircuitBreakers } from './circuit-breakers';
import { GRPC_DEPENDENCIES } from './grpc-dependencies';
import { retriesTotal } from './grpc-retries';

/**
 * Every gRPC call of the gateway: a deadline (GRPC_DEADLINE_MS), the request id on every hop, the
 * gateway's service identity acting for the signed-in user (`ctx.userId`, from the verified access
 * token; as itself for sign-up, sign-in and refresh), through the circuit breaker of its downstream
 * (opossum). Retries are not made here: grpc-js sends the reads of RETRYABLE_READS again after
 * UNAVAILABLE by the retry policy of each channel's service config (grpc.module.ts), within this
 * call's deadline, so the breaker sees one call. Whole-account calls (BULK_METHODS: import, export) get
 * GRPC_BULK_DEADLINE_MS and stay out of the breaker's count (one user's big import that runs out
 * of time must not open the breaker for everyone).
 */
@Injectable()
export class GrpcCaller {
  private readonly deadlineMs: number;
  private readonly bulkDeadlineMs: number;
  private readonly targets = new WeakMap<object, string>();

  constructor(
    config: ConfigService<Env, true>,
    private readonly breakers: CircuitBreakers,
    private readonly identity: ServiceIdentity,
  ) {
    this.deadlineMs = config.get('GRPC_DEADLINE_MS', { infer: true });
    this.bulkDeadlineMs = config.get('GRPC_BULK_DEADLINE_MS', { infer: true });
    grpcClientMetrics();
    retriesTotal();
  }

  /**
   * A server stream (exports) read message by message with backpressure, from the raw grpc-js
   * client of the service (`ClientGrpc.getClientByServiceName`); typed by the generated client `S`.
   * Refused at once while the downstream's breaker is open; a whole-account call, so it gets
   * GRPC_BULK_DEADLINE_MS and does not count toward the breaker. grpc-js retries an export only before
   * its first message (a call is committed once the server has sent anything), never halfway.
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
    const target = this.target(service);
    const send = () =>
      callUnary(service, method, request, {
        requestId: context.requestId,
        deadlineMs: this.deadlineOf(method),
        target,
        identity: this.mint(target, context),
      });
    return BULK_METHODS.has(method) ? this.breakers.runUncounted(target, send) : this.breakers.run(target, send);
  }

  private mint(target: string, context: Pick<RequestContext, 'userId'>): string {
    return this.identity.mint(target as ServiceName, context.userId);
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
