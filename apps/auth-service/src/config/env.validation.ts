import { BaseEnv, GrpcClientsEnv, GrpcServerEnv, JwtEnv, RedisEnv, validateEnv } from '@micronote/server-core';

export const validate = validateEnv({ HTTP_PORT: 3001, GRPC_PORT: 50001 }, BaseEnv, GrpcServerEnv, RedisEnv, JwtEnv, GrpcClientsEnv);

export type Env = ReturnType<typeof validate>;
