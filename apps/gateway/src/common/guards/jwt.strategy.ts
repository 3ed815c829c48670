import type { AuthUser, TokenClaims } from '@micronote/auth-session';
import { AccessTokenVerifier, JWT_ALGORITHM, jwtKey } from '@micronote/auth-session';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import type { Env } from '../../config/env.validation';

/** passport-jwt checks signature (HS256 only), iss, aud and expiry; the verifier checks typ and the session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: ConfigService<Env, true>,
    private readonly verifier: AccessTokenVerifier,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      // jsonwebtoken takes a KeyObject (no key parsing per request) where the types say string | Buffer.
      secretOrKey: jwtKey(config) as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      issuer: config.get('JWT_ISSUER', { infer: true }),
      audience: config.get('JWT_AUDIENCE', { infer: true }),
    });
  }

  validate(claims: Partial<TokenClaims>): Promise<AuthUser> {
    return this.verifier.checkClaims(claims);
  }
}
