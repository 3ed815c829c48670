import type { UnaryMethod } from '@micronote/server-core';
import { callUnary } from '@micronote/server-core';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { Env } from '../../config/env.validation';
import type { RequestContext } from '../decorators/request-context.decorator';

/** Unary gRPC calls from the gateway: GRPC_DEADLINE_MS deadline and the request id on every hop. */
@Injectable()
export class GrpcCaller {
  private readonly deadlineMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.deadlineMs = config.get('GRPC_DEADLINE_MS', { infer: true });
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
