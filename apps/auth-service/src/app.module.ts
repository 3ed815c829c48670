import { PROTO_FILES, userV1 } from '@micronote/proto';
import {
  grpcClientsModule,
  grpcHealthProvider,
  HealthModule,
  LoggingModule,
  MetricsModule,
  RedisModule,
  ServiceIdentityModule,
} from '@micronote/server-core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { AuthModule } from './auth/auth.module';
import { validate } from './config/env.validation';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    RedisModule.forRoot('auth-service'),
    grpcClientsModule([{ packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME, protoFile: PROTO_FILES.user, urlKey: 'GRPC_USER_URL' }]),
    HealthModule.register({
      redis: true,
      grpc: [
        { key: 'user-service', service: `${userV1.MICRONOTE_USER_V1_PACKAGE_NAME}.${userV1.USER_SERVICE_NAME}`, urlKey: 'GRPC_USER_URL' },
      ],
    }),
    LoggingModule.forRoot('auth-service'),
    ServiceIdentityModule.forRoot('auth-service'),
    MetricsModule,
    AuthModule,
  ],
  providers: [grpcHealthProvider],
})
export class AppModule {}
