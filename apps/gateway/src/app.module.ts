import { TokenModule } from '@micronote/auth-session';
import { HealthModule, LoggingModule, MetricsModule, RedisModule, ServiceIdentityModule } from '@micronote/server-core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';

import { AuthHttpController } from './auth/auth.http.controller';
import { ApiExceptionFilter } from './common/filters/api-exception.filter';
import { GrpcModule } from './common/grpc/grpc.module';
import { GRPC_DEPENDENCIES } from './common/grpc/grpc-dependencies';
import { JwtStrategy } from './common/guards/jwt.strategy';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { validate } from './config/env.validation';
import { NotesModule } from './notes/notes.module';
import { PushModule } from './push/push.module';
import { RealtimeModule } from './realtime/realtime.module';
import { TodosModule } from './todos/todos.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    RedisModule.forRoot('gateway'),
    TokenModule,
    PassportModule,
    GrpcModule,
    HealthModule.register({
      redis: true,
      grpc: GRPC_DEPENDENCIES.map((d) => ({ key: d.key, service: `${d.packageName}.${d.service}`, urlKey: d.urlKey })),
    }),
    LoggingModule.forRoot('gateway'),
    ServiceIdentityModule.forRoot('gateway'),
    MetricsModule,
    RateLimitModule,
    UsersModule,
    NotesModule,
    TodosModule,
    PushModule,
    RealtimeModule,
  ],
  controllers: [AuthHttpController],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }, JwtStrategy],
})
export class AppModule {}
