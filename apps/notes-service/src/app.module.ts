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
import { NotesModule } from './notes/notes.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate, ignoreEnvFile: true }),
    databaseModule(database),
    RedisModule.forRoot('notes-service'),
    HealthModule.register({ mysql: true, redis: true }),
    LoggingModule.forRoot('notes-service'),
    ServiceIdentityModule.forRoot('notes-service'),
    MetricsModule,
    NotesModule,
  ],
  providers: [grpcHealthProvider],
})
export class AppModule {}
