import type { UnaryMethod } from '@micronote/server-core';
import { callUnary, collectStream } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { Env } from '../../config/env.validation';
import type { RequestContext } from '../decorators/request-context.decorator';

/** Whole-account exports stream every note and todo: they get more time than one call. */
const STREAM_DEADLINE_MS = 60_000;

/** Unary gRPC calls from the gateway: GRPC_DEADLINE_MS deadline and the request id on every hop. */
@Injectable()
export class GrpcCaller {
  private readonly deadlineMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.deadlineMs = config.get('GRPC_DEADLINE_MS', { infer: true });
  }

  /** A server stream (exports) collected into an array; it may take longer than a unary call. */
  collect<S, K extends UnaryMethod<S>>(
    service: S,
    method: K,
    request: Parameters<typeof collectStream<S, K>>[2],
    context: Pick<RequestContext, 'requestId'>,
  ) {
    return collectStream(service, method, request, { requestId: context.requestId, deadlineMs: STREAM_DEADLINE_MS });
  }

  call<S, K extends UnaryMethod<S>>(
    service: S,
    method: K,
    request: Parameters<typeof callUnary<S, K>>[2],
    context: Pick<RequestContext, 'requestId'>,
  ) {
    return callUnary(service, method, request, { requestId: context.requestId, deadlineMs: this.deadlineMs });
  }
}
