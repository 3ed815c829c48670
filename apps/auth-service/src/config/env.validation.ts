import {
  BaseEnv,
  GrpcClientsEnv,
  GrpcServerEnv,
  GrpcTlsEnv,
  JwtEnv,
  RedisEnv,
  ServiceIdentityEnv,
  validateEnv,
} from '@micronote/server-core';

export const validate = validateEnv(
  { HTTP_PORT: 3001, GRPC_PORT: 50001 },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  RedisEnv,
  JwtEnv,
  GrpcClientsEnv,
);

export type Env = ReturnType<typeof validate>;
