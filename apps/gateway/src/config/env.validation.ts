/* eslint-disable @typescript-eslint/no-inferrable-types -- explicit types drive env conversion */
import {
  BaseEnv,
  CacheEnv,
  GrpcClientsEnv,
  GrpcTlsEnv,
  JwtEnv,
  RedisEnv,
  ServiceIdentityEnv,
  validateEnv,
  VapidPublicEnv,
} from '@micronote/server-core';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class GatewayEnv {
  /** Comma list of origins allowed by CORS (unset: same-origin only). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** The proxy in front (an address, CIDR or comma list): only then is X-Forwarded-For believed. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /**
   * The site's public origin (`https://notes.example.com`), for links the API hands out (a share
   * link's `url`). Unset: the origin the request came in on (its Host; X-Forwarded-* only from TRUST_PROXY).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, { message: 'WEB_ORIGIN must be an origin: http(s)://host[:port], no path' })
  WEB_ORIGIN?: string;

  /** The built SPA the gateway serves at `/` (default: `web/` beside the gateway bundle). */
  @IsOptional()
  @IsString()
  WEB_ROOT?: string;

  /** Requests per minute per client IP to POST /api/auth/login|register|refresh; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  AUTH_RATE_LIMIT: number = 20;

  /** Requests per second per user (or IP when unauthenticated) to the rest of /api; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  API_RATE_LIMIT: number = 50;

  /** Reads of public share links (GET /api/public/notes/:token) per minute per client IP; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  PUBLIC_NOTE_RATE_LIMIT: number = 60;

  /** socket.io handshakes per minute per client IP (checked before the token); 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  WS_HANDSHAKE_RATE_LIMIT: number = 60;

  /** Open sockets per user across every gateway instance (counted in Redis); the next is refused with `too_many_connections`. 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(100_000)
  WS_MAX_PER_USER: number = 20;

  /** Extra attempts for a read whose downstream answered UNAVAILABLE (writes are never retried). */
  @IsInt()
  @Min(0)
  @Max(5)
  GRPC_RETRIES: number = 2;

  /**
   * Deadline of the whole-account calls (import, export streams), milliseconds. They do not count
   * toward the shared circuit breakers, so one user's slow import cannot open them for everyone.
   */
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  GRPC_BULK_DEADLINE_MS: number = 120_000;

  /** Failure percentage (UNAVAILABLE / deadline) over the last 10 s that opens a downstream's circuit breaker. */
  @IsInt()
  @Min(1)
  @Max(100)
  BREAKER_ERROR_PERCENT: number = 50;

  /** Calls needed in the 10 s window before the breaker may open. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  BREAKER_MIN_CALLS: number = 5;

  /** How long an open breaker answers 503 at once before letting one trial call through. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  BREAKER_RESET_MS: number = 2_000;

  /** Swagger UI and the OpenAPI document at /api/docs: `true`/`false`; unset, on except in production. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'API_DOCS must be true or false' })
  API_DOCS?: 'true' | 'false';
}

export const validate = validateEnv(
  { HTTP_PORT: 8080 },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  RedisEnv,
  JwtEnv,
  GrpcClientsEnv,
  CacheEnv,
  GatewayEnv,
  VapidPublicEnv,
);

export type Env = ReturnType<typeof validate>;

/** Whether /api/docs is served: API_DOCS when set, else everywhere but production (the API's map is no one else's business there). */
export function apiDocsEnabled(env: Pick<Env, 'NODE_ENV' | 'API_DOCS'>): boolean {
  return env.API_DOCS === undefined ? env.NODE_ENV !== 'production' : env.API_DOCS === 'true';
}
