import { randomUUID } from 'node:crypto';

import type { TokenClaims, TokenType } from '@micronote/auth-session';
import { jwtVerifyOptions } from '@micronote/auth-session';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import type { Env } from '../config/env.validation';
import { AuthErrors } from './auth.errors';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Signs access and refresh JWTs (HS256, iss, aud, sub, sid, jti, typ) and reads refresh tokens back. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async issue(userId: string, sessionId: string, refreshJti: string): Promise<TokenPair> {
    const accessTtl = this.config.get('JWT_ACCESS_TTL', { infer: true });
    const [accessToken, refreshToken] = await Promise.all([
      this.sign('access', userId, sessionId, randomUUID(), accessTtl),
      this.sign('refresh', userId, sessionId, refreshJti, this.config.get('JWT_REFRESH_TTL', { infer: true })),
    ]);
    return { accessToken, refreshToken, expiresIn: accessTtl };
  }

  /** The claims of a valid refresh token; TOKEN_INVALID for anything else (an access token included). */
  async readRefreshToken(token: string): Promise<TokenClaims> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, jwtVerifyOptions(this.config));
    } catch {
      throw AuthErrors.tokenInvalid('Invalid or expired refresh token');
    }
    if (claims.typ !== 'refresh' || !claims.sub || !claims.sid || !claims.jti) {
      throw AuthErrors.tokenInvalid('Invalid or expired refresh token');
    }
    return claims;
  }

  private sign(typ: TokenType, userId: string, sessionId: string, jti: string, ttlSeconds: number): Promise<string> {
    return this.jwt.signAsync({ sid: sessionId, typ }, { subject: userId, jwtid: jti, expiresIn: ttlSeconds });
  }
}
