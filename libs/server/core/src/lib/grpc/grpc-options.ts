import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { ChannelCredentials, Interceptor } from '@grpc/grpc-js';
import { credentials, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import type { ConfigService } from '@nestjs/config';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import type { HealthImplementation } from 'grpc-health-check';
import { protoPath as healthProtoPath } from 'grpc-health-check';

import type { BaseEnv, GrpcServerEnv, GrpcTlsEnv } from '../config/env';

/**
 * The largest gRPC message a MicroNote server or client sends or accepts (both ways, set on every
 * server and channel). Larger than anything the API makes: a list page is capped at
 * PAGE_MAX_BYTES (@micronote/server-data), an import request is at most the REST body limit
 * (1 MiB), an export streams one item per message, and one note is at most 100,000 characters
 * (≤ 400 KB of UTF-8).
 */
export const GRPC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * Where the .proto files are: `PROTO_ROOT` if set, else `proto/` beside the running bundle
 * (copied there as a build asset), else the workspace's `proto/` (tests run from source).
 */
export function resolveProtoRoot(): string {
  const candidates = [process.env['PROTO_ROOT'], join(__dirname, 'proto')];
  for (let dir = resolve(__dirname); ; dir = dirname(dir)) {
    candidates.push(join(dir, 'proto'));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'micronote')));
  if (!found) throw new Error('Cannot find the .proto files: set PROTO_ROOT');
  return found;
}

/** proto-loader options shared by every server and client, matching ts-proto's generated types. */
function loaderOptions(protoRoot: string) {
  return {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    // No virtual `_field` properties for proto3 optionals: an unset optional is simply undefined.
    oneofs: false,
    arrays: true,
    includeDirs: [protoRoot, dirname(dirname(dirname(healthProtoPath)))],
  };
}

/** The PEM files of mutual TLS between services, read once. */
export interface GrpcTls {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** Mutual TLS from GRPC_TLS_CERT/KEY/CA (all three, or none: plaintext); throws naming the variables. */
export function grpcTlsFromEnv(env: GrpcTlsEnv): GrpcTls | undefined {
  const files = [env.GRPC_TLS_CERT, env.GRPC_TLS_KEY, env.GRPC_TLS_CA];
  if (files.every((file) => !file)) return undefined;
  if (files.some((file) => !file)) throw new Error('GRPC_TLS_CERT, GRPC_TLS_KEY and GRPC_TLS_CA must be set together');
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch {
      throw new Error(`${name} cannot be read`);
    }
  };
  return {
    cert: read('GRPC_TLS_CERT', env.GRPC_TLS_CERT as string),
    key: read('GRPC_TLS_KEY', env.GRPC_TLS_KEY as string),
    ca: read('GRPC_TLS_CA', env.GRPC_TLS_CA as string),
  };
}

const tlsOfConfig = new WeakMap<object, GrpcTls | null>();

/** The process's mutual TLS files from its config (GrpcTlsEnv), read once. */
export function grpcTlsOf(config: ConfigService): GrpcTls | undefined {
  let tls = tlsOfConfig.get(config);
  if (tls === undefined) {
    const file = (key: keyof GrpcTlsEnv) => config.get<string>(key);
    tls =
      grpcTlsFromEnv({ GRPC_TLS_CERT: file('GRPC_TLS_CERT'), GRPC_TLS_KEY: file('GRPC_TLS_KEY'), GRPC_TLS_CA: file('GRPC_TLS_CA') }) ??
      null;
    tlsOfConfig.set(config, tls);
  }
  return tls ?? undefined;
}

/** Client credentials: mutual TLS (our certificate, servers checked against the CA) or plaintext. */
export function grpcChannelCredentials(tls: GrpcTls | undefined): ChannelCredentials {
  return tls ? credentials.createSsl(tls.ca, tls.key, tls.cert) : credentials.createInsecure();
}

/** Server reflection: GRPC_REFLECTION when set, else on in development only. */
export function grpcReflectionEnabled(env: Pick<BaseEnv, 'NODE_ENV'> & Pick<GrpcServerEnv, 'GRPC_REFLECTION'>): boolean {
  return env.GRPC_REFLECTION === undefined ? env.NODE_ENV === 'development' : env.GRPC_REFLECTION === 'true';
}

export interface GrpcServerSpec {
  /** The proto package, e.g. `micronote.user.v1` (the generated `*_PACKAGE_NAME`). */
  packageName: string;
  /** Path of the .proto file below the proto root (`PROTO_FILES.user`). */
  protoFile: string;
  /** `host:port` to bind. */
  url: string;
  /** The standard health service; the caller flips it to SERVING once started. */
  health: HealthImplementation;
  /** Serve grpc.reflection (see grpcReflectionEnabled). */
  reflection: boolean;
  /** Mutual TLS: client certificates signed by the CA are required. */
  tls?: GrpcTls;
}

/** gRPC server options: our service, plus grpc.health.v1 (and server reflection when asked) on the same port. */
export function grpcServerOptions(spec: GrpcServerSpec): GrpcOptions {
  const protoRoot = resolveProtoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      package: spec.packageName,
      protoPath: [join(protoRoot, spec.protoFile), healthProtoPath],
      url: spec.url,
      loader: loaderOptions(protoRoot),
      ...(spec.tls && {
        credentials: ServerCredentials.createSsl(spec.tls.ca, [{ cert_chain: spec.tls.cert, private_key: spec.tls.key }], true),
      }),
      // grpc.max_send_message_length / grpc.max_receive_message_length, set on purpose (see page-cap.ts).
      maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
      maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
      gracefulShutdown: true,
      keepalive: {
        keepaliveTimeMs: 30_000,
        keepaliveTimeoutMs: 5_000,
        keepalivePermitWithoutCalls: 1,
        http2MinPingIntervalWithoutDataMs: 10_000,
      },
      onLoadPackageDefinition: (definition, server) => {
        if (spec.reflection) new ReflectionService(definition).addToServer(server);
        spec.health.addToServer(server);
      },
    },
  };
}

export interface GrpcClientSpec {
  packageName: string;
  protoFile: string;
  /** `host:port`, `dns:///name:port`, or a comma list `host:port,host:port` (balanced round-robin). */
  url: string;
  tls?: GrpcTls;
  /** Methods grpc-js itself sends again after UNAVAILABLE (its service-config retry policy). */
  retry?: GrpcRetrySpec;
  /** grpc-js client interceptors, around every call of the channel (retries included). */
  interceptors?: Interceptor[];
}

export interface GrpcRetrySpec {
  /** The fully-qualified proto service, e.g. `micronote.notes.v1.NotesService`. */
  service: string;
  /** Proto method names (`GetNote`) that are safe to send again: reads. */
  methods: readonly string[];
  /** Attempts after the first; 0 turns retries off. */
  maxRetries: number;
}

/**
 * The channel's service config (gRFC A6 retries, as grpc-js implements them): round-robin over every
 * address, and for `retry.methods` a retry policy on UNAVAILABLE only (the call never reached a
 * handler, or the method only reads), 25 ms doubling to at most 200 ms, ±20 % jitter (grpc-js's).
 * grpc-js never retries past the call's deadline (it covers every attempt), never once the server
 * has sent headers or a message (the call is committed), and honours a server's
 * `grpc-retry-pushback-ms`. No `retryThrottling`: it would stop retrying exactly during a partial
 * outage (one of several processes killed), which is what retries are for; a dead downstream is
 * the circuit breaker's business.
 */
export function grpcServiceConfig(retry?: GrpcRetrySpec): { loadBalancingConfig: object[]; methodConfig: object[] } {
  const retrying = retry !== undefined && retry.maxRetries > 0 && retry.methods.length > 0;
  return {
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig: retrying
      ? [
          {
            name: retry.methods.map((method) => ({ service: retry.service, method })),
            retryPolicy: {
              maxAttempts: retry.maxRetries + 1,
              initialBackoff: '0.025s',
              maxBackoff: '0.2s',
              backoffMultiplier: 2,
              retryableStatusCodes: ['UNAVAILABLE'],
            },
          },
        ]
      : [],
  };
}

/** Turns a comma list of host:port into a target grpc-js balances over. */
export function grpcTarget(url: string): string {
  const parts = url
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return url.trim();
  const isIpv4 = parts.every((p) => /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(p));
  if (!isIpv4) throw new Error(`A comma list of gRPC addresses must be IPv4 host:port pairs (use dns:/// for names)`);
  return `ipv4:${parts.join(',')}`;
}

/** gRPC client options for `ClientsModule`: keepalive, round-robin over every resolved address, retries of `spec.retry`. */
export function grpcClientOptions(spec: GrpcClientSpec): GrpcOptions {
  const protoRoot = resolveProtoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      package: spec.packageName,
      protoPath: join(protoRoot, spec.protoFile),
      url: grpcTarget(spec.url),
      loader: loaderOptions(protoRoot),
      ...(spec.tls && { credentials: grpcChannelCredentials(spec.tls) }),
      maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
      maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
      keepalive: { keepaliveTimeMs: 30_000, keepaliveTimeoutMs: 5_000, keepalivePermitWithoutCalls: 1 },
      channelOptions: {
        'grpc.service_config': JSON.stringify(grpcServiceConfig(spec.retry)),
        'grpc.enable_retries': 1,
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 2_000,
        // Passed through to the grpc-js Client (ClientOptions), which takes them out of the channel options.
        ...(spec.interceptors && { interceptors: spec.interceptors }),
      },
    },
  };
}
