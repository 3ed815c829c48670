import type { ClientReadableStream, Metadata } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Observable, ObservedValueOf } from 'rxjs';

import { observeGrpcClientCall } from '../metrics/request-metrics';
import type { CallContext, UnaryMethod } from './grpc-clients';
import { callMetadata } from './grpc-clients';

type RequestOf<F> = F extends (request: infer Q, metadata?: Metadata) => Observable<unknown> ? Q : never;
type ResponseOf<F> = F extends (...args: never[]) => infer O ? (O extends Observable<unknown> ? ObservedValueOf<O> : never) : never;

/**
 * A server-streaming call read one message at a time, with backpressure: grpc-js asks the
 * downstream for the next message only when the consumer has taken the previous one (HTTP/2 flow
 * control holds the rest on the server), so a whole-account export never sits in the caller's
 * memory. Nest's `getService()` wraps streams in an Observable that pushes every message as it
 * arrives, so this reads from the raw grpc-js client (`ClientGrpc.getClientByServiceName`), which
 * has the same methods, with the same deadline, metadata ({@link callMetadata}) and metrics as
 * `callUnary`. Leaving the loop early (or failing in it) cancels the call.
 *
 * `S` is the generated `*ServiceClient` interface the methods and messages are typed by.
 */
export async function* streamServer<S, K extends UnaryMethod<S>>(
  rawClient: object,
  method: K,
  request: RequestOf<S[K]>,
  context: CallContext,
): AsyncGenerator<ResponseOf<S[K]>, void, undefined> {
  const fn = (rawClient as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`the gRPC client has no method ${method}`);
  const started = performance.now();
  const call = (fn as (request: unknown, metadata: Metadata, options: object) => ClientReadableStream<ResponseOf<S[K]>>).call(
    rawClient,
    request,
    callMetadata(context),
    { deadline: new Date(Date.now() + context.deadlineMs) },
  );
  let outcome: unknown = { code: GrpcStatus.CANCELLED };
  try {
    for await (const message of call) yield message as ResponseOf<S[K]>;
    outcome = undefined;
  } catch (error) {
    outcome = error;
    throw error;
  } finally {
    if (outcome !== undefined) call.cancel();
    observeGrpcClientCall(context.target ?? 'unknown', method, started, outcome);
  }
}
