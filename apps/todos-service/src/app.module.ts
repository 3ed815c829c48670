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
import { TodosModule } from './todos/todos.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    databaseModule(database),
    RedisModule.forRoot('todos-service'),
    HealthModule.register({ mysql: true, redis: true }),
    LoggingModule.forRoot('todos-service'),
    ServiceIdentityModule.forRoot('todos-service'),
    MetricsModule,
    TodosModule,
  ],
  providers: [grpcHealthProvider],
})
export class AppModule {}
