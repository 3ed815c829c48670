import { grpcClientsModule } from '@micronote/server-core';
import { Global, Module } from '@nestjs/common';

import { CircuitBreakers } from './circuit-breakers';
import { GrpcCaller } from './grpc-caller';
import { GRPC_DEPENDENCIES } from './grpc-dependencies';

/** gRPC clients (injected by their `*_PACKAGE_NAME`) and the GrpcCaller, for every feature module. */
@Global()
@Module({
  imports: [grpcClientsModule(GRPC_DEPENDENCIES)],
  providers: [CircuitBreakers, GrpcCaller],
  exports: [CircuitBreakers, GrpcCaller],
})
export class GrpcModule {}
