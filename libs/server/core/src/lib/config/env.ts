/* eslint-disable @typescript-eslint/no-inferrable-types -- explicit types drive env conversion */
import 'reflect-metadata';

import { createECDH } from 'node:crypto';

import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

import { secretProblems, urlPassword } from './secrets';

/** The dev-only secret; a process with NODE_ENV=production refuses to start with it (see secrets.ts). */
export const DEV_JWT_SECRET = 'micronote-dev-only-secret-change-me-0123456789';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Every field has an explicit type: class-transformer converts env strings by `design:type`.

/** Every process: runtime mode, bind address, HTTP port (health + metrics, or the REST edge). */
export class BaseEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Address every listener binds: loopback unless said otherwise (containers set 0.0.0.0). */
  @IsString()
  HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT!: number;
}

/** A gRPC server process. */
export class GrpcServerEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  GRPC_PORT!: number;

  /** Milliseconds a graceful shutdown waits for in-flight calls before cancelling them. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /** gRPC server reflection: `true`/`false`; unset, on in development only. */
  @IsOptional()
  @IsIn(['true', 'false'])
  GRPC_REFLECTION?: 'true' | 'false';
}

/** Optional mutual TLS between services: PEM file paths; all three set turn it on (servers require client certificates). */
export class GrpcTlsEnv {
  @IsOptional()
  @IsString()
  GRPC_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  GRPC_TLS_KEY?: string;

  @IsOptional()
  @IsString()
  GRPC_TLS_CA?: string;
}

/** Service-to-service identity (see server-core identity/service-identity.ts); dev keys built in outside production. */
export class ServiceIdentityEnv {
  /** This process's own Ed25519 signing key: base64url of a 32-byte seed (gateway, auth-service, user-service). */
  @IsOptional()
  @IsString()
  SERVICE_IDENTITY_KEY?: string;

  /** The callers' public keys: `gateway:<base64url>,auth-service:<base64url>,user-service:<base64url>`. */
  @IsOptional()
  @IsString()
  SERVICE_IDENTITY_PEERS?: string;

  /** Lifetime of a minted identity token, seconds. */
  @IsInt()
  @Min(10)
  @Max(3_600)
  SERVICE_IDENTITY_TTL: number = 60;
}

export class MysqlEnv {
  @Matches(/^mysql:\/\/[^\s]+$/, { message: 'MYSQL_URL must look like mysql://user[:password]@host:port' })
  MYSQL_URL: string = 'mysql://root@127.0.0.1:3306';

  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: 'DB_NAME must be 1..64 letters, digits or _' })
  DB_NAME!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;
}

export class RedisEnv {
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must look like redis://host:port' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Prefix of every key this deployment writes, so several deployments (or test runs) can share one Redis. */
  @Matches(/^[A-Za-z0-9_:.-]{0,40}$/, { message: 'REDIS_KEY_PREFIX must be 0..40 of [A-Za-z0-9_:.-]' })
  REDIS_KEY_PREFIX: string = 'mn:';
}

export class JwtEnv {
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string = DEV_JWT_SECRET;

  @IsString()
  JWT_ISSUER: string = 'micronote-auth';

  @IsString()
  JWT_AUDIENCE: string = 'micronote-api';

  /** Access-token lifetime, seconds. */
  @IsInt()
  @Min(10)
  @Max(86_400)
  JWT_ACCESS_TTL: number = 900;

  /** Refresh-token (and session) lifetime, seconds. */
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  JWT_REFRESH_TTL: number = 2_592_000;

  /**
   * Absolute session lifetime, seconds (default 90 days): however often it is refreshed, a session
   * older than this ends (its refresh and access tokens stop working) and the user signs in again.
   */
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  SESSION_MAX_AGE: number = 7_776_000;
}

/** The read cache of list and stats reads (notes, todos). */
export class CacheEnv {
  /** Seconds a cached read lives; 0 turns the cache off. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  READ_CACHE_TTL: number = 300;

  /**
   * A Redis of its own for the cache (e.g. one with `maxmemory-policy allkeys-lru`); unset: the
   * main REDIS_URL. Keys carry REDIS_KEY_PREFIX either way.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'READ_CACHE_REDIS_URL must look like redis://host:port' })
  READ_CACHE_REDIS_URL?: string;

  /** A read whose answer is larger than this (bytes of JSON) is not cached. */
  @IsInt()
  @Min(1_024)
  @Max(16_777_216)
  READ_CACHE_MAX_ENTRY_BYTES: number = 262_144;

  /** Cached reads kept per user and scope (distinct queries, pages, searches); the oldest go first. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  READ_CACHE_MAX_ENTRIES_PER_USER: number = 64;
}

/** Address of one gRPC dependency, `host:port`, `dns:///name:port` or a comma list of host:port. */
export class GrpcClientsEnv {
  @IsString()
  GRPC_AUTH_URL: string = '127.0.0.1:50001';

  @IsString()
  GRPC_NOTES_URL: string = '127.0.0.1:50002';

  @IsString()
  GRPC_TODOS_URL: string = '127.0.0.1:50003';

  @IsString()
  GRPC_USER_URL: string = '127.0.0.1:50004';

  /** Deadline of every gRPC call, milliseconds. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  GRPC_DEADLINE_MS: number = 2_000;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Web Push, the public half (RFC 8292 VAPID): the gateway hands the key to browsers for
 * `PushManager.subscribe`. Unset outside production: Web Push is off (`GET /api/push/key` is 503);
 * NODE_ENV=production refuses to start without it.
 */
export class VapidPublicEnv {
  /** base64url of the uncompressed P-256 public key (65 bytes), as web-push's generateVAPIDKeys() makes it. */
  @IsOptional()
  @Matches(BASE64URL, { message: 'VAPID_PUBLIC_KEY must be base64url (npm start makes a pair for development)' })
  VAPID_PUBLIC_KEY?: string;

  /**
   * `true` lets push endpoints on loopback, private and link-local addresses through (tests with a
   * local receiver only; refused in production). Otherwise such endpoints are 400: the server POSTs to them.
   */
  @IsIn(['true', 'false'], { message: 'PUSH_ALLOW_PRIVATE_ENDPOINTS must be true or false' })
  PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' | 'false' = 'false';
}

/** Web Push, the sender (user-service, with {@link VapidPublicEnv}): the private key and the contact the push services see. */
export class VapidSenderEnv {
  /** base64url of the P-256 private key (32 bytes). */
  @IsOptional()
  @Matches(BASE64URL, { message: 'VAPID_PRIVATE_KEY must be base64url' })
  VAPID_PRIVATE_KEY?: string;

  /** Who runs this server, for the push services: `mailto:ops@example.com` or an https URL. */
  @IsOptional()
  @Matches(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s]+)$/, { message: 'VAPID_SUBJECT must be a mailto: address or an https: URL' })
  VAPID_SUBJECT?: string;
}

/** The VAPID variables' problems: all or none set, a consistent pair, required and strong in production. */
function vapidProblems(env: Record<string, unknown>): string[] {
  if (!Object.hasOwn(env, 'VAPID_PUBLIC_KEY')) return [];
  const production = env['NODE_ENV'] === 'production';
  const problems: string[] = [];
  if (production && env['PUSH_ALLOW_PRIVATE_ENDPOINTS'] === 'true')
    problems.push('PUSH_ALLOW_PRIVATE_ENDPOINTS must not be true when NODE_ENV=production');
  const sender = Object.hasOwn(env, 'VAPID_PRIVATE_KEY');
  const names = sender ? ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] : ['VAPID_PUBLIC_KEY'];
  const missing = names.filter((name) => env[name] === undefined);
  if (missing.length === names.length && !production) return problems;
  if (missing.length > 0) {
    problems.push(
      production
        ? `${missing.join(', ')} must be set when NODE_ENV=production (Web Push; see README, Web Push)`
        : `${missing.join(', ')} must be set with the other VAPID variables (or none of them: Web Push off)`,
    );
    return problems;
  }
  const publicKey = Buffer.from(String(env['VAPID_PUBLIC_KEY']), 'base64url');
  if (publicKey.length !== 65 || publicKey[0] !== 4)
    problems.push('VAPID_PUBLIC_KEY must be an uncompressed P-256 public key (65 bytes, base64url)');
  if (sender) {
    const privateKey = Buffer.from(String(env['VAPID_PRIVATE_KEY']), 'base64url');
    if (privateKey.length !== 32) problems.push('VAPID_PRIVATE_KEY must be a P-256 private key (32 bytes, base64url)');
    else if (problems.length === 0) {
      const ecdh = createECDH('prime256v1');
      try {
        ecdh.setPrivateKey(privateKey);
        if (!ecdh.getPublicKey().equals(publicKey)) problems.push('VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY');
      } catch {
        problems.push('VAPID_PRIVATE_KEY is not a valid P-256 private key');
      }
    }
    if (production) problems.push(...secretProblems('VAPID_PRIVATE_KEY', String(env['VAPID_PRIVATE_KEY'])));
  }
  return problems;
}

export class OptionalEnv {
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;
}

/**
 * NODE_ENV=production: JWT_SECRET, and the password inside REDIS_URL / MYSQL_URL when the URL
 * carries one, must pass {@link secretProblems} (no dev default, example value, placeholder or
 * low-entropy value).
 */
function productionSecretProblems(env: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof env['JWT_SECRET'] === 'string') problems.push(...secretProblems('JWT_SECRET', env['JWT_SECRET']));
  for (const name of ['REDIS_URL', 'MYSQL_URL']) {
    const password = typeof env[name] === 'string' ? urlPassword(env[name]) : undefined;
    if (password !== undefined) problems.push(...secretProblems(`the password in ${name}`, password));
  }
  return problems;
}

function declaredProperties(cls: Ctor): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

type Ctor<T = object> = new () => T;
type InstanceOfAll<T extends Ctor[]> = T extends [Ctor<infer A>, ...infer R extends Ctor[]] ? A & InstanceOfAll<R> : unknown;

/**
 * Builds the `validate` function for `ConfigModule.forRoot`: every class is filled from the
 * environment (strings converted to numbers where the field is a number), defaults apply where a
 * variable is unset, and a bad value stops start-up with a message that names the variable
 * (never its value).
 */
export function validateEnv<T extends Ctor[]>(
  defaults: Record<string, string | number>,
  ...classes: T
): (raw: Record<string, unknown>) => InstanceOfAll<T> {
  return (raw) => {
    const source: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(raw)) if (value !== undefined && value !== '') source[key] = value;
    const merged: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const cls of classes) {
      const instance = plainToInstance(cls, source, { enableImplicitConversion: true }) as object;
      for (const error of validateSync(instance, { skipMissingProperties: false })) {
        problems.push(...Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }));
      }
      for (const key of declaredProperties(cls)) merged[key] = (instance as Record<string, unknown>)[key];
    }
    if (merged['NODE_ENV'] === 'production') problems.push(...productionSecretProblems(merged));
    problems.push(...vapidProblems(merged));
    if (problems.length > 0) {
      throw new Error(`Invalid environment:\n  - ${[...new Set(problems)].join('\n  - ')}`);
    }
    return merged as InstanceOfAll<T>;
  };
}
