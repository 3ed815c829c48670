import { BaseEnv, CacheEnv, GrpcServerEnv, MysqlEnv, RedisEnv, validateEnv } from '@micronote/server-core';

export const validate = validateEnv(
  { HTTP_PORT: 3003, GRPC_PORT: 50003, DB_NAME: 'micronote_todos' },
  BaseEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  CacheEnv,
);

export type Env = ReturnType<typeof validate>;
