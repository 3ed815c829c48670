import { grpcClientsModule } from '@micronote/server-core';
import { Global, Module } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';

import type { Env } from '../../config/env.validation';
import { RETRYABLE_READS } from './call-policy';
import { CircuitBreakers } from './circuit-breakers';
import { GrpcCaller } from './grpc-caller';
import { GRPC_DEPENDENCIES } from './grpc-dependencies';
import { countRetries } from './grpc-retries';

/**
 * Each downstream's channel: grpc-js retries its RETRYABLE_READS after UNAVAILABLE, at most
 * GRPC_RETRIES more attempts, within the call's deadline; the retries are counted on /metrics.
 */
export const GATEWAY_GRPC_CLIENTS = GRPC_DEPENDENCIES.map((dependency) => ({
  ...dependency,
  channel: (config: ConfigService) => ({
    retry: {
      service: `${dependency.packageName}.${dependency.service}`,
      methods: RETRYABLE_READS[dependency.key] ?? [],
      maxRetries: config.getOrThrow<Env['GRPC_RETRIES']>('GRPC_RETRIES'),
    },
    interceptors: [countRetries(dependency.key)],
  }),
}));

/** gRPC clients (injected by their `*_PACKAGE_NAME`) and the GrpcCaller, for every feature module. */
@Global()
@Module({
  imports: [grpcClientsModule(GATEWAY_GRPC_CLIENTS)],
  providers: [CircuitBreakers, GrpcCaller],
  exports: [CircuitBreakers, GrpcCaller],
})
export class GrpcModule {}
