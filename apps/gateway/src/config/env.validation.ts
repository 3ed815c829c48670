import { BaseEnv, GrpcClientsEnv, JwtEnv, RedisEnv, validateEnv } from '@micronote/server-core';
import { IsOptional, IsString } from 'class-validator';

export class GatewayEnv {
  /** Comma list of origins allowed by CORS (unset: same-origin only). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** The proxy in front (an address, CIDR or comma list): only then is X-Forwarded-For believed. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;
}

export const validate = validateEnv({ HTTP_PORT: 8080 }, BaseEnv, RedisEnv, JwtEnv, GrpcClientsEnv, GatewayEnv);

export type Env = ReturnType<typeof validate>;
