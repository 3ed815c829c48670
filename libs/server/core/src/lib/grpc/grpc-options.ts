import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { ReflectionService } from '@grpc/reflection';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import type { HealthImplementation } from 'grpc-health-check';
import { protoPath as healthProtoPath } from 'grpc-health-check';

import { GRPC_MAX_MESSAGE_BYTES } from '../data/page-cap';

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

export interface GrpcServerSpec {
  /** The proto package, e.g. `micronote.user.v1` (the generated `*_PACKAGE_NAME`). */
  packageName: string;
  /** Path of the .proto file below the proto root (`PROTO_FILES.user`). */
  protoFile: string;
  /** `host:port` to bind. */
  url: string;
  /** The standard health service; the caller flips it to SERVING once started. */
  health: HealthImplementation;
}

/** gRPC server options: our service, plus grpc.health.v1 and server reflection on the same port. */
export function grpcServerOptions(spec: GrpcServerSpec): GrpcOptions {
  const protoRoot = resolveProtoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      package: spec.packageName,
      protoPath: [join(protoRoot, spec.protoFile), healthProtoPath],
      url: spec.url,
      loader: loaderOptions(protoRoot),
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
        new ReflectionService(definition).addToServer(server);
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

/** gRPC client options for `ClientsModule`: keepalive and round-robin over every resolved address. */
export function grpcClientOptions(spec: GrpcClientSpec): GrpcOptions {
  const protoRoot = resolveProtoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      package: spec.packageName,
      protoPath: join(protoRoot, spec.protoFile),
      url: grpcTarget(spec.url),
      loader: loaderOptions(protoRoot),
      maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
      maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
      keepalive: { keepaliveTimeMs: 30_000, keepaliveTimeoutMs: 5_000, keepalivePermitWithoutCalls: 1 },
      channelOptions: {
        'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 2_000,
      },
    },
  };
}
