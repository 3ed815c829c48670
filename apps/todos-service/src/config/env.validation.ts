import { BaseEnv, CacheEnv, GrpcServerEnv, GrpcTlsEnv, MysqlEnv, RedisEnv, ServiceIdentityEnv, validateEnv } from '@micronote/server-core';

export const validate = validateEnv(
  { HTTP_PORT: 3003, GRPC_PORT: 50003, DB_NAME: 'micronote_todos' },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  CacheEnv,
);

export type Env = ReturnType<typeof validate>;
