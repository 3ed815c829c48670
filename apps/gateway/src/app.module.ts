import { authV1, PROTO_FILES, userV1 } from '@micronote/proto';
import { grpcClientsModule, HealthModule, MetricsModule, RedisModule, TokenModule } from '@micronote/server-core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';

import { AuthHttpController } from './auth/auth.http.controller';
import { ApiExceptionFilter } from './common/filters/api-exception.filter';
import { GrpcCaller } from './common/grpc/grpc-caller';
import { JwtStrategy } from './common/guards/jwt.strategy';
import { validate } from './config/env.validation';
import { UsersHttpController } from './users/users.http.controller';

const AUTH = { packageName: authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, protoFile: PROTO_FILES.auth, urlKey: 'GRPC_AUTH_URL' };
const USER = { packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME, protoFile: PROTO_FILES.user, urlKey: 'GRPC_USER_URL' };

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    RedisModule.forRoot('gateway'),
    TokenModule,
    PassportModule,
    grpcClientsModule([AUTH, USER]),
    HealthModule.register({
      redis: true,
      grpc: [
        { key: 'auth-service', service: `${AUTH.packageName}.${authV1.AUTH_SERVICE_NAME}`, urlKey: AUTH.urlKey },
        { key: 'user-service', service: `${USER.packageName}.${userV1.USER_SERVICE_NAME}`, urlKey: USER.urlKey },
      ],
    }),
    MetricsModule,
  ],
  controllers: [AuthHttpController, UsersHttpController],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }, GrpcCaller, JwtStrategy],
})
export class AppModule {}
