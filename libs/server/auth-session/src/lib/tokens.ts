import type { KeyObject } from 'node:crypto';
import { createSecretKey } from 'node:crypto';

import type { JwtEnv } from '@micronote/server-core';
import { DomainError, GrpcStatus, REDIS } from '@micronote/server-core';
import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule, JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';

import { SESSION_OWNER_FIELD, sessionKeys } from './session-keys';

/** The only signing algorithm accepted; `alg: none` and RS/HS confusion are refused. */
export const JWT_ALGORITHM = 'HS256' as const;

export type TokenType = 'access' | 'refresh';

/** Claims of both token kinds. `typ` keeps a refresh token from ever passing as an access token. */
export interface TokenClaims {
  sub: string;
  sid: string;
  jti: string;
  typ: TokenType;
  iat: number;
  exp: number;
  iss: string;
  aud: string | string[];
}

/** The identity the gateway passes on as `user_id`. */
export interface AuthUser {
  userId: string;
  sessionId: string;
  jti: string;
  exp: number;
}

export const tokenInvalid = (message = 'Invalid or expired token') => new DomainError('TOKEN_INVALID', message, GrpcStatus.UNAUTHENTICATED);

const keys = new Map<string, KeyObject>();

/**
 * JWT_SECRET as a KeyObject. Given a string, jsonwebtoken first tries to parse it as a public or
 * private key on every sign and verify (~0.3 ms of CPU each); a KeyObject skips that.
 */
export function jwtKey(config: ConfigService<JwtEnv, true>): KeyObject {
  const secret = config.get('JWT_SECRET', { infer: true });
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function jwtVerifyOptions(config: ConfigService<JwtEnv, true>) {
  return {
    // jsonwebtoken takes a KeyObject where @nestjs/jwt's types say string | Buffer.
    secret: jwtKey(config) as unknown as Buffer,
    algorithms: [JWT_ALGORITHM],
    issuer: config.get('JWT_ISSUER', { infer: true }),
    audience: config.get('JWT_AUDIENCE', { infer: true }),
  };
}

/**
 * Checks an access token: signature (HS256 only), issuer, audience, expiry, `typ: access`, and
 * that its session is still alive in Redis and belongs to the token's `sub` (logout, session
 * revoke, refresh-token reuse, password change, account deletion and the session's absolute
 * lifetime end a session, and with it every token it issued, at once).
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService<JwtEnv, true>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async verify(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, jwtVerifyOptions(this.config));
    } catch {
      throw tokenInvalid();
    }
    return this.checkClaims(claims);
  }

  /** The checks after the signature: used as is by the passport strategy, which verified it. */
  async checkClaims(claims: Partial<TokenClaims>): Promise<AuthUser> {
    const { sub, sid, jti, typ, exp } = claims;
    if (typ !== 'access' || typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
      throw tokenInvalid();
    }
    let owner: string | null;
    try {
      // One round trip, as cheap as EXISTS: the session is alive (its key expires with its
      // sliding and absolute lifetime) *and* it is the token subject's own.
      owner = await this.redis.hget(sessionKeys.session(sid), SESSION_OWNER_FIELD);
    } catch {
      throw new DomainError('SESSION_STORE_UNAVAILABLE', 'Cannot check the session right now, try again shortly', GrpcStatus.UNAVAILABLE);
    }
    if (owner !== sub) throw tokenInvalid('Session has ended');
    return { userId: sub, sessionId: sid, jti, exp };
  }
}

/** JwtModule signing and verifying with JWT_SECRET, HS256, JWT_ISSUER and JWT_AUDIENCE. */
export const jwtModule = JwtModule.registerAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<JwtEnv, true>) => ({
    secret: jwtKey(config),
    signOptions: {
      algorithm: JWT_ALGORITHM,
      issuer: config.get('JWT_ISSUER', { infer: true }),
      audience: config.get('JWT_AUDIENCE', { infer: true }),
    },
    verifyOptions: jwtVerifyOptions(config),
  }),
});

@Module({ imports: [jwtModule], providers: [AccessTokenVerifier], exports: [AccessTokenVerifier, jwtModule] })
export class TokenModule {}
