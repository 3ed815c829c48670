import { DEV_JWT_SECRET } from '@micronote/server-core';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import type { Env } from '../config/env.validation';
import { TokenIssuer } from './token-issuer';

const settings: Record<string, unknown> = {
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_ISSUER: 'micronote-auth',
  JWT_AUDIENCE: 'micronote-api',
  JWT_ACCESS_TTL: 900,
  JWT_REFRESH_TTL: 3_600,
};
const config = { get: (key: string) => settings[key] } as unknown as ConfigService<Env, true>;
const jwt = new JwtService({
  secret: DEV_JWT_SECRET,
  signOptions: { algorithm: 'HS256', issuer: 'micronote-auth', audience: 'micronote-api' },
});

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe(TokenIssuer.name, () => {
  const issuer = new TokenIssuer(jwt, config);

  it('issues an access and a refresh token of the same session, told apart by typ', async () => {
    const pair = await issuer.issue('42', 'session-1', 'refresh-jti');
    expect(pair.expiresIn).toBe(900);
    const access = claims(pair.accessToken);
    const refresh = claims(pair.refreshToken);
    expect(access).toMatchObject({ sub: '42', sid: 'session-1', typ: 'access', iss: 'micronote-auth', aud: 'micronote-api' });
    expect(refresh).toMatchObject({ sub: '42', sid: 'session-1', typ: 'refresh', jti: 'refresh-jti' });
    expect(access['jti']).not.toBe(refresh['jti']);
    expect((access['exp'] as number) - (access['iat'] as number)).toBe(900);
    expect((refresh['exp'] as number) - (refresh['iat'] as number)).toBe(3_600);
  });

  it('reads a refresh token back', async () => {
    const pair = await issuer.issue('42', 'session-1', 'refresh-jti');
    await expect(issuer.readRefreshToken(pair.refreshToken)).resolves.toMatchObject({ sub: '42', sid: 'session-1', jti: 'refresh-jti' });
  });

  it.each([
    ['an access token', async () => (await issuer.issue('42', 's', 'j')).accessToken],
    ['garbage', async () => 'garbage'],
    [
      'an unsigned token',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${(await issuer.issue('42', 's', 'j')).refreshToken.split('.')[1]}.`,
    ],
    [
      'a token for another audience',
      async () => jwt.signAsync({ sid: 's', typ: 'refresh' }, { subject: '1', jwtid: 'j', audience: 'other' }),
    ],
    [
      'an expired token',
      async () => jwt.signAsync({ sid: 's', typ: 'refresh', exp: Math.floor(Date.now() / 1000) - 10 }, { subject: '1', jwtid: 'j' }),
    ],
  ])('refuses %s as a refresh token', async (_, make) => {
    await expect(issuer.readRefreshToken(await make())).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
