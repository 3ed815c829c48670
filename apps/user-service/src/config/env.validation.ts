import {
  BaseEnv,
  GrpcClientsEnv,
  GrpcServerEnv,
  GrpcTlsEnv,
  MysqlEnv,
  RedisEnv,
  ServiceIdentityEnv,
  validateEnv,
  VapidPublicEnv,
  VapidSenderEnv,
} from '@micronote/server-core';

export const validate = validateEnv(
  { HTTP_PORT: 3004, GRPC_PORT: 50004, DB_NAME: 'micronote_users' },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  GrpcClientsEnv,
  VapidPublicEnv,
  VapidSenderEnv,
);

export type Env = ReturnType<typeof validate>;
