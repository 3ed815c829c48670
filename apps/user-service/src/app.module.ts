import {
  databaseModule,
  grpcHealthProvider,
  HealthModule,
  LoggingModule,
  MetricsModule,
  RedisModule,
  ServiceIdentityModule,
} from '@micronote/server-core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { validate } from './config/env.validation';
import { database } from './database';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    databaseModule(database),
    RedisModule.forRoot('user-service'),
    HealthModule.register({ mysql: true, redis: true }),
    LoggingModule.forRoot('user-service'),
    ServiceIdentityModule.forRoot('user-service'),
    MetricsModule,
    UsersModule,
  ],
  providers: [grpcHealthProvider],
})
export class AppModule {}
