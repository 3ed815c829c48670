/* eslint-disable @typescript-eslint/no-inferrable-types -- explicit types drive env conversion */
import { BaseEnv, CacheEnv, GrpcServerEnv, GrpcTlsEnv, MysqlEnv, RedisEnv, ServiceIdentityEnv, validateEnv } from '@micronote/server-core';
import { IsInt, Max, Min } from 'class-validator';

/** Per-user quota: a create or import past it answers 403 QUOTA_EXCEEDED. */
export class TodosQuotaEnv {
  /** Todos one user may keep. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  MAX_TODOS_PER_USER: number = 100_000;
}

export const validate = validateEnv(
  { HTTP_PORT: 3003, GRPC_PORT: 50003, DB_NAME: 'micronote_todos' },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  CacheEnv,
  TodosQuotaEnv,
);

export type Env = ReturnType<typeof validate>;
