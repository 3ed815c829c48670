import { Metadata } from '@grpc/grpc-js';
import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClientsModule } from '@nestjs/microservices';
import type { Observable, ObservedValueOf } from 'rxjs';
import { lastValueFrom, toArray } from 'rxjs';

import { IDENTITY_METADATA } from '../identity/service-identity';
import { observeGrpcClientCall } from '../metrics/request-metrics';
import type { GrpcClientSpec } from './grpc-options';
import { grpcClientOptions, grpcTlsOf } from './grpc-options';

export interface GrpcClientRegistration {
  /** Injection token: the generated `*_PACKAGE_NAME`. */
  packageName: string;
  protoFile: string;
  /** Config key of the address, e.g. `GRPC_USER_URL`. */
  urlKey: string;
  /** Retries and interceptors of this client's channel, from the caller's config. */
  channel?: (config: ConfigService) => Pick<GrpcClientSpec, 'retry' | 'interceptors'>;
}

/** `ClientsModule` for the gRPC services a process calls, addresses from config. */
export function grpcClientsModule(clients: GrpcClientRegistration[]): DynamicModule {
  return ClientsModule.registerAsync({
    isGlobal: true,
    clients: clients.map((client) => ({
      name: client.packageName,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        grpcClientOptions({
          packageName: client.packageName,
          protoFile: client.protoFile,
          url: config.getOrThrow<string>(client.urlKey),
          tls: grpcTlsOf(config),
          ...client.channel?.(config),
        }),
    })),
  });
}

/** What travels with every call: who asked (for the logs of every hop) and how long it may take. */
export interface CallContext {
  requestId?: string;
  deadlineMs: number;
  /** The downstream, as metrics name it (`grpc_service` of micronote_grpc_client_*), e.g. `notes-service`. */
  target?: string;
  /** The caller's service identity token for this call (ServiceIdentity.mint), sent as `x-micronote-identity`. */
  identity?: string;
}

type AnyUnary = (request: never, metadata?: Metadata) => Observable<unknown>;
export type UnaryMethod<S> = { [K in keyof S]: S[K] extends AnyUnary ? K : never }[keyof S] & string;
type RequestOf<F> = F extends (request: infer Q, metadata?: Metadata) => Observable<unknown> ? Q : never;
type ResponseOf<F> = F extends (...args: never[]) => infer O ? (O extends Observable<unknown> ? ObservedValueOf<O> : never) : never;

export function callMetadata(context: Pick<CallContext, 'requestId' | 'identity'>): Metadata {
  const metadata = new Metadata();
  if (context.requestId) metadata.set('x-request-id', context.requestId);
  if (context.identity) metadata.set(IDENTITY_METADATA, context.identity);
  return metadata;
}

/**
 * The one way to make a unary gRPC call: with a deadline, the request id and the caller's identity
 * as metadata, as a Promise. grpc-js takes call options after the metadata; Nest passes extra arguments through.
 */
export function callUnary<S, K extends UnaryMethod<S>>(
  service: S,
  method: K,
  request: RequestOf<S[K]>,
  context: CallContext,
): Promise<ResponseOf<S[K]>> {
  const fn = service[method] as unknown as (request: unknown, metadata: Metadata, options: object) => Observable<ResponseOf<S[K]>>;
  const deadline = new Date(Date.now() + context.deadlineMs);
  return measured(context, method, () => lastValueFrom(fn.call(service, request, callMetadata(context), { deadline })));
}

/** A server-streaming call collected into an array, with the same deadline and metadata rules. */
export function collectStream<S, K extends UnaryMethod<S>>(
  service: S,
  method: K,
  request: RequestOf<S[K]>,
  context: CallContext,
): Promise<ResponseOf<S[K]>[]> {
  const fn = service[method] as unknown as (request: unknown, metadata: Metadata, options: object) => Observable<ResponseOf<S[K]>>;
  const deadline = new Date(Date.now() + context.deadlineMs);
  return measured(context, method, () => lastValueFrom(fn.call(service, request, callMetadata(context), { deadline }).pipe(toArray())));
}

/** The call's duration and status code in micronote_grpc_client_handling_seconds / _handled_total. */
function measured<T>(context: CallContext, method: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const target = context.target ?? 'unknown';
  return call().then(
    (value) => {
      observeGrpcClientCall(target, method, started);
      return value;
    },
    (error: unknown) => {
      observeGrpcClientCall(target, method, started, error);
      throw error;
    },
  );
}
